import { redirect } from 'next/navigation';
import { requireUser } from '@/lib/actions/session';
import { hubAddress } from '@/lib/hubs/hub-address';

export const dynamic = 'force-dynamic';

/** The home page: the webhooks of the hub the user last worked in (signed out: sign in first). */
export default async function Home() {
  const user = await requireUser();
  redirect(await hubAddress(user.id, '/'));
}
