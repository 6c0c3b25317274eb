import type { ReactNode } from 'react';
import { adminContext } from '@/lib/actions/action';
import { rememberHub } from '@/lib/hubs/hub-preference';

export const dynamic = 'force-dynamic';

/**
 * Every admin page of a hub lives under /hubs/{hubId}/: the hub is checked here (an unknown one is
 * the not-found page) and remembered as the user's, so hub-less addresses lead back to it.
 */
export default async function HubLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ hubId: string }>;
}) {
  const { user, hub } = await adminContext((await params).hubId);
  await rememberHub(user.id, hub.id);
  return children;
}
