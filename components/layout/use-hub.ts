'use client';

import { useParams } from 'next/navigation';
import { hubPath } from '@/lib/hubs/hub-paths';

/** The hub of the current address (`/hubs/{hubId}/…`), or null outside a hub's pages. */
export function useCurrentHubId(): string | null {
  const params = useParams<{ hubId?: string | string[] }>();
  return typeof params.hubId === 'string' ? params.hubId : null;
}

/** For components that only render on a hub's pages: the hub id, and links into that hub. */
export function useHub(): { hubId: string; path: (path: string) => string } {
  const hubId = useCurrentHubId();
  if (hubId === null) throw new Error('useHub() is for components on a hub page (/hubs/{hubId}/…)');
  return { hubId, path: (path) => hubPath(hubId, path) };
}
