import { notFound } from 'next/navigation';
import { adminContext } from '@/lib/actions/action';
import { NotFoundError } from '@/lib/errors';
import { getWebhook } from '@/lib/webhooks/get-webhooks';

/** The webhook of the route, scoped to the admin hub; a 404 page when it does not exist. */
export async function loadWebhook(id: string) {
  const { hub } = await adminContext();
  try {
    return { hub, webhook: await getWebhook(hub.id, id) };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
