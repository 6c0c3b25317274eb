import { prisma } from '../db/client';
import { ensureDefaultHub, findHub, type Hub } from './hubs';

/**
 * The hub a user works in is in every admin address (/hubs/{id}/…); the one they last opened is
 * remembered on their user row, so hub-less addresses (/webhooks, old links, the home page) and
 * their next sign-in lead back to it.
 */

/** Remembers the hub; writes nothing when it is already the remembered one. */
export async function rememberHub(userId: string, hubId: string): Promise<void> {
  await prisma().user.updateMany({
    where: { id: userId, OR: [{ currentHubId: null }, { currentHubId: { not: hubId } }] },
    data: { currentHubId: hubId },
  });
}

/** The user's remembered hub, or the default hub when none is remembered (or it is gone). */
export async function preferredHub(userId: string): Promise<Hub> {
  const user = await prisma().user.findUnique({ where: { id: userId }, select: { currentHubId: true } });
  const remembered = user?.currentHubId ? await findHub(user.currentHubId) : null;
  return remembered ?? ensureDefaultHub();
}

/** The hub a webhook belongs to, or null for an unknown webhook: old links name webhooks, not hubs. */
export async function hubOfWebhook(webhookId: string): Promise<string | null> {
  if (webhookId.length > 24) return null;
  const webhook = await prisma().webhook.findUnique({ where: { id: webhookId }, select: { hubId: true } });
  return webhook?.hubId ?? null;
}
