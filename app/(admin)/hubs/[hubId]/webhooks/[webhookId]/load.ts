import { notFound } from 'next/navigation';
import { adminContext } from '@/lib/actions/action';
import { grantsOf } from '@/lib/auth/roles';
import { NotFoundError } from '@/lib/errors';
import { getWebhook } from '@/lib/webhooks/get-webhooks';
import { webhookForRole } from '@/lib/webhooks/redact';

/**
 * The webhook of the route, in the route's hub; a 404 page when either does not exist. It comes
 * as the user's role may see it (a Viewer's copy has no secret), with what the role may do.
 */
export async function loadWebhook(params: Promise<{ hubId: string; webhookId: string }>) {
  const { hubId, webhookId: id } = await params;
  const { hub, user } = await adminContext(hubId);
  try {
    return { hub, grants: grantsOf(user.role), webhook: webhookForRole(await getWebhook(hub.id, id), user.role) };
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}
