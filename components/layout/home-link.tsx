'use client';

import Link from 'next/link';
import { hubPath } from '@/lib/hubs/hub-paths';
import { Logo } from './logo';
import { useCurrentHubId } from './use-hub';

export function HomeLink({ fallbackHubId }: { fallbackHubId: string }) {
  const hubId = useCurrentHubId() ?? fallbackHubId;
  return (
    <Link href={hubPath(hubId, '/webhooks')} className="rounded-md" aria-label="Herald home">
      <Logo />
    </Link>
  );
}
