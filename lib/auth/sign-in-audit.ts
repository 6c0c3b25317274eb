import { recordAudit } from '../audit/record-audit';
import { prisma } from '../db/client';

/**
 * A refused sign-in, for the audit log: the email as typed (trimmed, capped by the log) and the
 * address. Nothing else changes, so there is no transaction to share. The throttle bounds how
 * many of these one address can cause.
 */
export async function recordFailedSignIn(email: string, sourceIp: string, reason: string): Promise<void> {
  const user = email ? await prisma().user.findUnique({ where: { email }, select: { id: true } }) : null;
  await recordAudit(prisma(), {
    hubId: null,
    actor: { type: 'user', id: user?.id ?? null, label: email || '(no email)' },
    sourceIp,
    action: 'user.sign-in-failed',
    target: user ? { type: 'user', id: user.id, label: email } : undefined,
    changes: { reason: { from: null, to: reason } },
  });
}
