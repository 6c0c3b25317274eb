/**
 * Admin addresses carry their hub (`/hubs/{hubId}/webhooks/…`), so a link names what it shows.
 * Pure, for server and client components alike.
 */
export function hubPath(hubId: string, path = ''): string {
  const rest = path === '' || path.startsWith('/') || path.startsWith('?') ? path : `/${path}`;
  return `/hubs/${encodeURIComponent(hubId)}${rest}`;
}

/** The pages every hub has, as the main navigation lists them. */
export const HUB_SECTIONS = ['overview', 'webhooks', 'events', 'settings'] as const;
export type HubSection = (typeof HUB_SECTIONS)[number];
