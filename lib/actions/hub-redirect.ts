import { redirect } from 'next/navigation';
import { hubAddress } from '../hubs/hub-address';
import { requireUser } from './session';

/**
 * Answers a hub-less admin address (`/webhooks/…`, `/events`, links and bookmarks from before
 * hubs were in the URL) with a redirect to the same page in a hub: the hub of the webhook it
 * names, else the hub the user last worked in. Signed-out visitors sign in first and come back.
 */
export async function redirectToHub(request: Request): Promise<never> {
  const user = await requireUser();
  const url = new URL(request.url);
  redirect(await hubAddress(user.id, `${url.pathname}${url.search}`));
}
