import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedKey } from '../crypto/secret-box';

/**
 * Bearer tokens for the API: `<payload>.<mac>`, the payload naming the client and expiry, the
 * MAC keyed by a key derived from the encryption key. Stateless, but every request still checks
 * the client is not revoked.
 */

export const TOKEN_LIFETIME_SECONDS = 3600;

interface TokenClaims {
  sub: string;
  exp: number;
}

function mac(payload: string): string {
  return createHmac('sha256', derivedKey('api-token')).update(payload).digest('base64url');
}

export function issueAccessToken(clientId: string, now: number = Date.now()): { token: string; expiresIn: number } {
  const claims: TokenClaims = { sub: clientId, exp: Math.floor(now / 1000) + TOKEN_LIFETIME_SECONDS };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { token: `${payload}.${mac(payload)}`, expiresIn: TOKEN_LIFETIME_SECONDS };
}

/** The client id of a valid, unexpired token; null otherwise. */
export function verifyAccessToken(token: string, now: number = Date.now()): string | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(payload));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
    return claims.exp * 1000 > now ? claims.sub : null;
  } catch {
    return null;
  }
}
