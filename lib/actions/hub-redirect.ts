import { redirect } from 'next/navigation';
import { hubPath } from '../hubs/hub-paths';
import { hubOfWebhook, preferredHub } from '../hubs/hub-preference';
import { requireUser } from './session';

/**
 * Answers a hub-less admin address (`/webhooks/…`, `/events`, links and bookmarks from before
 * hubs were in the URL) with a redirect to the same page in a hub: the hub of the webhook it
 * names, else the hub the user last worked in. Signed-out visitors go to sign in first.
 */
export async function redirectToHub(request: Request, segments: string[]): Promise<never> {
  const user = await requireUser();
  const [section, webhookId] = segments;
  const owner = section === 'webhooks' && webhookId && webhookId !== 'new' ? await hubOfWebhook(webhookId) : null;
  const hubId = owner ?? (await preferredHub(user.id)).id;
  const path = segments.map((segment) => encodeURIComponent(segment)).join('/');
  redirect(`${hubPath(hubId, `/${path}`)}${new URL(request.url).search}`);
}
