import { redirectToHub } from '@/lib/actions/hub-redirect';

export const dynamic = 'force-dynamic';

/** The address from before hubs were in the URL: the remembered hub's events page. */
export async function GET(request: Request): Promise<never> {
  return redirectToHub(request);
}
