import { describe, expect, it, vi } from 'vitest';
import { loginAction } from '../../../lib/actions/auth-actions';
import { LoginThrottle } from '../../../lib/auth/login-throttle';
import { recordRefusedSignIns } from '../../../lib/auth/sign-in-audit';
import { prisma } from '../../../lib/db/client';
import { cookieStore, headerList, requestState } from '../../support/action-request';

vi.mock('next/headers', () => ({ cookies: async () => cookieStore(), headers: async () => headerList() }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

function signInForm(email: string): FormData {
  const form = new FormData();
  form.set('email', email);
  form.set('password', 'not the password at all');
  return form;
}

const rowsFrom = (address: string) =>
  prisma().auditEntry.findMany({ where: { sourceIp: address }, orderBy: { id: 'asc' } });

// The web process's throttle (DEFAULT_THROTTLE_OPTIONS): 20 free failures per address across emails.
const FREE_PER_ADDRESS = 20;

describe('audit rows of a sign-in spray from one address', () => {
  // 20 real password checks (scrypt at N = 2^17, a dummy hash for unknown emails): slow on purpose.
  it('writes a row per failure the throttle let through and ONE summary counting the refused ones', {
    timeout: 180_000,
  }, async () => {
    requestState.address = '198.51.100.60';
    for (let i = 0; i < 60; i++) {
      const result = await loginAction(null, signInForm(`sprayed-${i}@example.com`));
      expect(result?.ok).toBe(false);
    }

    const rows = await rowsFrom('198.51.100.60');
    expect(rows.length).toBeLessThanOrEqual(25);
    expect(rows.filter((row) => row.action === 'user.sign-in-failed')).toHaveLength(FREE_PER_ADDRESS);
    const summaries = rows.filter((row) => row.action === 'user.sign-ins-throttled');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.changes).toMatchObject({
      refused: { from: null, to: 60 - FREE_PER_ADDRESS },
      reason: { to: expect.stringMatching(/^Too many failed sign-ins\. Try again in /) },
    });
  });

  it('counts refusals written at once into the same summary row, and opens a new one after an allowed attempt', async () => {
    const throttle = new LoginThrottle({ freeFailuresPerAddress: 1 });
    const address = '198.51.100.61';
    expect(throttle.begin('first@example.com', address)).toEqual({ allowed: true });
    throttle.finish('first@example.com', address, 'failed');

    const refuse = (i: number) => {
      const decision = throttle.begin(`burst-${i}@example.com`, address);
      if (decision.allowed) throw new Error('expected a refusal');
      return recordRefusedSignIns(decision.window, 'Too many failed sign-ins.');
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => refuse(i)));
    let summaries = (await rowsFrom(address)).filter((row) => row.action === 'user.sign-ins-throttled');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.changes).toMatchObject({ refused: { to: 30 } });

    // Once the delay is over, the next attempt is allowed; refusals after it are a new window.
    const later = Date.now() + 31_000;
    expect(throttle.begin('patient@example.com', address, later)).toEqual({ allowed: true });
    throttle.finish('patient@example.com', address, 'failed', later);
    const decision = throttle.begin('again@example.com', address, later + 1);
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) await recordRefusedSignIns(decision.window, 'Too many failed sign-ins.');
    summaries = (await rowsFrom(address)).filter((row) => row.action === 'user.sign-ins-throttled');
    expect(summaries.map((row) => row.changes)).toMatchObject([{ refused: { to: 30 } }, { refused: { to: 1 } }]);
  });
});
