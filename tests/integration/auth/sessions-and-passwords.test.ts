import { randomBytes, scryptSync } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../lib/auth/login-throttle';
import { createSession, deleteSession, sessionId, sessionUser } from '../../../lib/auth/sessions';
import { issueSetupCode } from '../../../lib/auth/setup-code';
import { InvalidCredentialsError, signIn, TooManyAttemptsError } from '../../../lib/auth/sign-in';
import { createFirstAdmin, type UserView, verifyCredentials } from '../../../lib/auth/users';
import { resetEnvCache } from '../../../lib/config/env';
import { verifyPassword } from '../../../lib/crypto/password-hash';
import { prisma } from '../../../lib/db/client';

const PASSWORD = 'a long enough password';
const HOUR = 3_600_000;
let admin: UserView;

beforeAll(async () => {
  const setupCode = (await issueSetupCode()) ?? '';
  admin = await createFirstAdmin({ setupCode, email: 'admin@example.com', password: PASSWORD });
});

afterEach(() => {
  delete process.env.HERALD_SESSION_IDLE_TIMEOUT;
  resetEnvCache();
});

async function storedHash(): Promise<string> {
  return (await prisma().user.findUniqueOrThrow({ where: { id: admin.id }, omit: { passwordHash: false } }))
    .passwordHash;
}

describe('passwords', () => {
  it('hashes with scrypt at N = 2^17 and verifies credentials', async () => {
    expect(await storedHash()).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyCredentials({ email: 'ADMIN@example.com', password: PASSWORD })).toMatchObject({
      id: admin.id,
    });
    expect(await verifyCredentials({ email: 'admin@example.com', password: 'a wrong password!!' })).toBeNull();
    expect(await verifyCredentials({ email: 'nobody@example.com', password: PASSWORD })).toBeNull();
  });

  it('re-hashes an older, cheaper hash on the next successful sign-in', async () => {
    const salt = randomBytes(16);
    const old = scryptSync(PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 });
    const oldHash = ['scrypt', 16384, 8, 1, salt.toString('base64'), old.toString('base64')].join('$');
    await prisma().user.update({ where: { id: admin.id }, data: { passwordHash: oldHash } });

    expect(await verifyCredentials({ email: 'admin@example.com', password: 'a wrong password!!' })).toBeNull();
    expect(await storedHash()).toBe(oldHash);

    expect(await verifyCredentials({ email: 'admin@example.com', password: PASSWORD })).not.toBeNull();
    const upgraded = await storedHash();
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, upgraded)).toBe(true);
  });
});

describe('sign-in limit', () => {
  it('slows down one address without locking the owner out from another', async () => {
    const throttle = new LoginThrottle();
    const wrong = { email: 'admin@example.com', password: 'a wrong password!!' };
    for (let i = 0; i < 5; i++) {
      await expect(signIn(wrong, '203.0.113.9', throttle)).rejects.toBeInstanceOf(InvalidCredentialsError);
    }
    // Even the right password waits at the address that guessed…
    await expect(signIn({ ...wrong, password: PASSWORD }, '203.0.113.9', throttle)).rejects.toBeInstanceOf(
      TooManyAttemptsError,
    );
    // …but not from the owner's address.
    expect(await signIn({ ...wrong, password: PASSWORD }, '198.51.100.7', throttle)).toMatchObject({ id: admin.id });
  });
});

describe('sessions', () => {
  it('stores only the hash of the session token, and ends sessions', async () => {
    const { token, expiresAt } = await createSession(admin.id);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await prisma().session.findUnique({ where: { id: token } })).toBeNull();
    expect(await prisma().session.findUnique({ where: { id: sessionId(token) } })).not.toBeNull();
    expect(await sessionUser(token)).toMatchObject({ id: admin.id });
    expect(await sessionUser('made-up')).toBeNull();
    expect(await sessionUser(undefined)).toBeNull();

    await prisma().session.update({
      where: { id: sessionId(token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await sessionUser(token)).toBeNull();

    const second = await createSession(admin.id);
    await deleteSession(second.token);
    expect(await sessionUser(second.token)).toBeNull();
  });

  it('ends a session left idle for longer than the idle timeout (12 h by default)', async () => {
    const { token } = await createSession(admin.id);
    const id = sessionId(token);
    await prisma().session.update({ where: { id }, data: { lastSeenAt: new Date(Date.now() - 11 * HOUR) } });
    expect(await sessionUser(token)).toMatchObject({ id: admin.id });
    // Use pushes the deadline back.
    const seen = await prisma().session.findUniqueOrThrow({ where: { id } });
    expect(Date.now() - seen.lastSeenAt.getTime()).toBeLessThan(HOUR);

    await prisma().session.update({ where: { id }, data: { lastSeenAt: new Date(Date.now() - 13 * HOUR) } });
    expect(await sessionUser(token)).toBeNull();
    expect(await prisma().session.findUnique({ where: { id } })).toBeNull();
  });

  it('takes the idle timeout from HERALD_SESSION_IDLE_TIMEOUT', async () => {
    process.env.HERALD_SESSION_IDLE_TIMEOUT = '30m';
    resetEnvCache();
    const { token } = await createSession(admin.id);
    const id = sessionId(token);
    await prisma().session.update({ where: { id }, data: { lastSeenAt: new Date(Date.now() - HOUR) } });
    expect(await sessionUser(token)).toBeNull();
  });
});
