import { redirectToHub } from '@/lib/actions/hub-redirect';

export const dynamic = 'force-dynamic';

/**
 * Addresses from before hubs were in the URL (`/webhooks`, `/webhooks/{id}/activity/…`): the same
 * page in the webhook's own hub, or in the remembered hub for the list and the new-webhook form.
 */
export async function GET(request: Request): Promise<never> {
  return redirectToHub(request);
}
