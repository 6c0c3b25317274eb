import { HUB_SECTIONS, hubPath } from './hub-paths';
import { hubOfWebhook, preferredHub } from './hub-preference';

/**
 * Every page of a hub lives under /hubs/{hubId}/…; older addresses and bookmarks (`/webhooks/{id}`,
 * `/overview`) and the home page name no hub. This turns such an address into the page it means,
 * so a redirect never lands on a hub-less address (its server actions would post to a route that
 * only answers GET).
 */

const HUBLESS_SECTIONS: ReadonlySet<string> = new Set(HUB_SECTIONS);

/**
 * The address `path` (a safe relative path: see lib/auth/next-path.ts) means for this user: a
 * hub-less section goes to the same page in the webhook's own hub, or in the hub the user last
 * worked in; the home page to that hub's webhooks; anything else (a hub's page, /users) as it is.
 */
export async function hubAddress(userId: string, path: string): Promise<string> {
  const url = new URL(path, 'http://herald.invalid');
  const segments = url.pathname.split('/').filter(Boolean);
  const [section, webhookId] = segments;
  if (section === undefined) return hubPath((await preferredHub(userId)).id, '/webhooks');
  if (!HUBLESS_SECTIONS.has(section)) return `${url.pathname}${url.search}${url.hash}`;
  const owner =
    section === 'webhooks' && webhookId && webhookId !== 'new' ? await hubOfWebhook(decoded(webhookId)) : null;
  const hubId = owner ?? (await preferredHub(userId)).id;
  return `${hubPath(hubId, url.pathname)}${url.search}${url.hash}`;
}

/** A path segment as text; a malformed escape is kept as typed (it names no webhook either way). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
