import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { type Prisma, prisma } from '../db/client';
import { bound, executeInPrisma, sql, statement } from '../db/sql';

/**
 * The one-time code that claims a fresh instance. While no admin exists, each start of the web
 * app (`npm start`, `npm run web`) makes a new code, prints it once and stores only its SHA-256
 * in `setup_codes`, so whichever process serves the setup form can check it. Setting up the
 * admin deletes the row: the code is single-use and nothing prints one again.
 */

// No 0/O, 1/I/L: read off a terminal and typed by hand.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** `XXXX-XXXX-XXXX`: 12 characters from 31, about 59 bits. */
export const SETUP_CODE_PATTERN = /^[A-Z0-9]{4}(-[A-Z0-9]{4}){2}$/;

const SINGLE_ROW = 1;

// Serialises issuing a code and creating the first admin (users.ts takes the same lock).
export const FIRST_ADMIN_LOCK = 'herald_first_admin';

export function generateSetupCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** Case, surrounding spaces and a missing or extra dash do not matter when typing the code. */
function normalize(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

// The code is random with ~59 bits and guesses are throttled: a fast hash is enough.
function hashCode(code: string): string {
  return createHash('sha256').update(normalize(code), 'utf8').digest('hex');
}

const LOCK_FIRST_ADMIN = statement(
  'auth-lock-first-admin',
  {},
  () => sql`SELECT pg_advisory_xact_lock(hashtext(${bound(FIRST_ADMIN_LOCK)}))`,
);

export async function lockFirstAdmin(tx: Prisma.TransactionClient): Promise<void> {
  await executeInPrisma(tx, LOCK_FIRST_ADMIN, {});
}

/**
 * While no admin exists, replaces the stored code with a new one and returns it (the caller
 * prints it); once an admin exists, returns null and leaves no code behind.
 */
export async function issueSetupCode(): Promise<string | null> {
  return prisma().$transaction(async (tx) => {
    await lockFirstAdmin(tx);
    if ((await tx.user.count()) > 0) {
      await tx.setupCode.deleteMany();
      return null;
    }
    const code = generateSetupCode();
    const codeHash = hashCode(code);
    await tx.setupCode.upsert({
      where: { id: SINGLE_ROW },
      create: { id: SINGLE_ROW, codeHash },
      update: { codeHash, createdDate: new Date() },
    });
    return code;
  });
}

/** Whether a code is waiting to be used (the setup page says how to get one when not). */
export async function hasSetupCode(): Promise<boolean> {
  return (await prisma().setupCode.count()) > 0;
}

/** A check before the real one, so a wrong code is refused before any costly work. */
export async function matchesSetupCode(code: string): Promise<boolean> {
  const row = await prisma().setupCode.findUnique({ where: { id: SINGLE_ROW } });
  return sameHash(row?.codeHash, code);
}

function sameHash(stored: string | undefined, code: string): boolean {
  const expected = Buffer.from(stored ?? hashCode('no code issued'), 'hex');
  const actual = Buffer.from(hashCode(code), 'hex');
  return timingSafeEqual(expected, actual) && stored !== undefined;
}

/**
 * Inside the first-admin transaction: true, and the code is used up, when `code` matches the
 * stored one. The comparison takes the same time wherever the first difference is.
 */
export async function consumeSetupCode(tx: Prisma.TransactionClient, code: string): Promise<boolean> {
  const row = await tx.setupCode.findUnique({ where: { id: SINGLE_ROW } });
  if (!sameHash(row?.codeHash, code)) return false;
  await tx.setupCode.delete({ where: { id: SINGLE_ROW } });
  return true;
}
