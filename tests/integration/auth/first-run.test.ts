import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../lib/auth/login-throttle';
import { hasSetupCode, issueSetupCode, SETUP_CODE_PATTERN } from '../../../lib/auth/setup-code';
import { claimFirstRun, TooManyAttemptsError } from '../../../lib/auth/sign-in';
import { createFirstAdmin, hasUsers, SetupDoneError } from '../../../lib/auth/users';
import { prisma } from '../../../lib/db/client';
import { ValidationError } from '../../../lib/errors';

const PASSWORD = 'a long enough password';

function fieldOf(error: unknown): string[] {
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors.map((fieldError) => fieldError.field);
}

describe('claiming a fresh instance with the setup code', () => {
  it('refuses setup while no code was issued', async () => {
    expect(await hasSetupCode()).toBe(false);
    const error = await createFirstAdmin({ setupCode: 'ABCD-EFGH-JKLM', email: 'a@example.com', password: PASSWORD })
      .then(() => null)
      .catch((caught: unknown) => caught);
    expect(fieldOf(error)).toEqual(['setupCode']);
    expect(await hasUsers()).toBe(false);
  });

  it('issues a fresh code at each start, keeping only its hash', async () => {
    const first = await issueSetupCode();
    expect(first).toMatch(SETUP_CODE_PATTERN);
    const second = await issueSetupCode();
    expect(second).toMatch(SETUP_CODE_PATTERN);
    expect(second).not.toBe(first);
    const rows = await prisma().setupCode.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.codeHash).not.toContain(second?.replaceAll('-', ''));

    // The earlier code no longer works.
    const error = await createFirstAdmin({ setupCode: first ?? '', email: 'a@example.com', password: PASSWORD })
      .then(() => null)
      .catch((caught: unknown) => caught);
    expect(fieldOf(error)).toEqual(['setupCode']);
  });

  it('refuses a wrong code with a field error, counts it, and slows down repeated guesses', async () => {
    const code = await issueSetupCode();
    const throttle = new LoginThrottle();
    const input = { setupCode: 'WRNG-CODE-XXXX', email: 'a@example.com', password: PASSWORD };
    for (let i = 0; i < 5; i++) {
      const error = await claimFirstRun(input, '192.0.2.1', throttle).catch((caught: unknown) => caught);
      expect(fieldOf(error)).toEqual(['setupCode']);
    }
    await expect(claimFirstRun(input, '192.0.2.1', throttle)).rejects.toBeInstanceOf(TooManyAttemptsError);
    expect(await hasUsers()).toBe(false);
    // The right code still works, from an address that has not guessed.
    expect(await hasSetupCode()).toBe(true);
    expect(code).toMatch(SETUP_CODE_PATTERN);
  });

  it('creates exactly one admin when two setups race, and the code is single-use', async () => {
    const code = (await issueSetupCode()) ?? '';
    const throttle = new LoginThrottle();
    const results = await Promise.allSettled([
      claimFirstRun({ setupCode: code.toLowerCase(), email: 'Admin@Example.com', password: PASSWORD }, '::1', throttle),
      claimFirstRun({ setupCode: code, email: 'other@example.com', password: PASSWORD }, '::1', throttle),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(SetupDoneError);
    expect(await prisma().user.count()).toBe(1);

    // Used up: gone from the database, refused if typed again, and no new code once an admin exists.
    expect(await hasSetupCode()).toBe(false);
    await expect(
      createFirstAdmin({ setupCode: code, email: 'third@example.com', password: PASSWORD }),
    ).rejects.toBeInstanceOf(SetupDoneError);
    expect(await issueSetupCode()).toBeNull();
    expect(await hasSetupCode()).toBe(false);
  });
});
