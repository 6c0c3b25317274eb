import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey } from '../crypto/secret-box';
import { isScope, SCOPES, type Scope } from './scopes';

/**
 * Bearer tokens for the API: `<payload>.<mac>`, the payload naming the client, its expiry, the
 * scopes granted and the hubs it may reach, the MAC keyed by a key derived from the encryption
 * key. Stateless: scopes and hubs are checked from the token in memory, on every request, with no
 * database read (a client's scopes and hubs are fixed when it is created, so a token cannot hold
 * more than its client). Every request still checks the client is not revoked.
 */

export const TOKEN_LIFETIME_SECONDS = 3600;

interface TokenClaims {
  sub: string;
  exp: number;
  /** Granted scopes. Tokens issued before scopes existed have none: they could do everything. */
  scope?: string[];
  /** The hubs the client may reach; absent for every hub. */
  hubs?: string[];
}

/** What a valid token lets its bearer do. */
export interface TokenGrant {
  clientId: string;
  scopes: ReadonlySet<Scope>;
  /** Null for every hub. */
  hubIds: ReadonlySet<string> | null;
  /** When the token stops being valid (ms since the epoch). */
  expiresAt: number;
}

function mac(payload: string): string {
  return createHmac('sha256', derivedKey('api-token')).update(payload).digest('base64url');
}

export function issueAccessToken(
  clientId: string,
  grant: { scopes: readonly Scope[]; hubIds: readonly string[] | null },
  now: number = Date.now(),
): { token: string; expiresIn: number } {
  const claims: TokenClaims = {
    sub: clientId,
    exp: Math.floor(now / 1000) + TOKEN_LIFETIME_SECONDS,
    scope: [...grant.scopes],
    ...(grant.hubIds ? { hubs: [...grant.hubIds] } : {}),
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { token: `${payload}.${mac(payload)}`, expiresIn: TOKEN_LIFETIME_SECONDS };
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The grant of a valid, unexpired token; null otherwise. */
export function verifyAccessToken(token: string, now: number = Date.now()): TokenGrant | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(payload));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  let claims: Partial<Record<keyof TokenClaims, unknown>>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return null;
  if (claims.scope !== undefined && !isStringArray(claims.scope)) return null;
  if (claims.hubs !== undefined && !isStringArray(claims.hubs)) return null;
  return {
    clientId: claims.sub,
    scopes: new Set(claims.scope ? claims.scope.filter(isScope) : SCOPES),
    hubIds: claims.hubs ? new Set(claims.hubs) : null,
    expiresAt: claims.exp * 1000,
  };
}
