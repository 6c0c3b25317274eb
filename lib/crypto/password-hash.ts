import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/** OWASP's current scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB per hash). */
export const PASSWORD_HASH_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;

// scrypt needs 128 · N · r bytes; Node refuses anything over maxmem (32 MiB by default).
const MAXMEM = 2 * 128 * PASSWORD_HASH_PARAMS.N * PASSWORD_HASH_PARAMS.r;

// Each hash holds 128 MiB: a burst of sign-in attempts must queue, not multiply the memory.
const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

interface StoredHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseStored(stored: string): StoredHash | null {
  const [scheme, n, r, p, salt, hash, extra] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || extra !== undefined) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // A stored hash comes from our own database, but absurd parameters must not take the process down.
  if (!Number.isInteger(params.N) || params.N < 2 || params.N > 2 ** 20) return null;
  if (!Number.isInteger(params.r) || params.r < 1 || params.r > 32) return null;
  if (!Number.isInteger(params.p) || params.p < 1 || params.p > 16) return null;
  return { ...params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

/** scrypt, stored as `scrypt$N$r$p$salt$hash` so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = PASSWORD_HASH_PARAMS;
  const hash = await limited(() => scryptAsync(password, salt, 32, { N, r, p, maxmem: MAXMEM }));
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed || parsed.hash.length === 0) return false;
  const { N, r, p, salt, hash } = parsed;
  const actual = await limited(() =>
    scryptAsync(password, salt, hash.length, { N, r, p, maxmem: Math.max(MAXMEM, 2 * 128 * N * r) }),
  );
  return actual.length === hash.length && timingSafeEqual(actual, hash);
}

/** True when a stored hash was made with weaker parameters than today's: re-hash it on the next sign-in. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  if (!parsed) return true;
  const { N, r, p } = PASSWORD_HASH_PARAMS;
  return parsed.N < N || parsed.r < r || parsed.p < p;
}
