import { recordAudit, recordAuditTally } from '../audit/record-audit';
import { uuid7For } from '../crypto/uuid7';
import { prisma } from '../db/client';
import type { RefusalWindow } from './login-throttle';

/**
 * A failed sign-in, for the audit log: the email as typed (trimmed, capped by the log) and the
 * address. Nothing else changes, so there is no transaction to share. The throttle bounds how
 * many of these one address can cause: past its free failures, an address gets one attempt per
 * delay, and what it sends in between is refused without a row of its own (below).
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

/**
 * Sign-ins the throttle refused before checking anything: ONE row per address and refusal window
 * (the run of refusals since the address last had an attempt allowed), whose `refused` count
 * rises with each refusal. Its id comes from the address and the window's start, so concurrent
 * refusals count into the same row. A spraying address therefore adds at most one row per
 * attempt the throttle lets through, however fast it sends.
 */
export async function recordRefusedSignIns(window: RefusalWindow, reason: string): Promise<void> {
  const id = uuid7For(window.startedAt, `sign-ins-throttled|${window.address}|${window.startedAt}`);
  await recordAuditTally(
    prisma(),
    id,
    {
      hubId: null,
      actor: { type: 'user', id: null, label: `(sign-ins from ${window.address})` },
      sourceIp: window.address,
      action: 'user.sign-ins-throttled',
      changes: {
        refused: { from: null, to: window.refused },
        since: { from: null, to: new Date(window.startedAt).toISOString() },
        reason: { from: null, to: reason },
      },
    },
    'refused',
  );
}
