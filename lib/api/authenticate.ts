import { z } from 'zod';
import { issueAccessToken, type TokenGrant, verifyAccessToken } from '../auth/access-tokens';
import { activeClients } from '../auth/active-clients';
import { authenticateClient } from '../auth/api-clients';
import { formatScopeParameter, parseScopeParameter, type Scope } from '../auth/scopes';
import { type ApiAnswer, type ApiRequest, headerOf } from './api-request';
import { BodyTooLargeError, CLOSE_CONNECTION } from './body';
import { HttpError, json } from './http';

const noNul = (value: string) => !value.includes('\u0000');

const ZCredential = (name: string) =>
  z
    .string({ error: `${name} is required` })
    .min(1, `${name} is required`)
    .max(512, `${name} may be at most 512 characters`)
    .refine(noNul, `${name} may not contain the NUL character`);

export const ZTokenRequest = z.object({
  grant_type: z.literal('client_credentials', { error: 'grant_type must be client_credentials' }),
  client_id: ZCredential('client_id'),
  client_secret: ZCredential('client_secret'),
  // RFC 6749 §3.3: space-separated scopes, a subset of the client's; absent asks for all of them.
  scope: z.string({ error: 'scope must be a string' }).max(512, 'scope may be at most 512 characters').optional(),
});

/** A token request is a few hundred bytes; anything much bigger is not one. */
export const MAX_TOKEN_BODY_BYTES = 8 * 1024;

/** OAuth2 errors use RFC 6749's shape, which OAuth clients (the SDK included) read. */
function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): ApiAnswer {
  return json({ error, error_description: description }, status, headers);
}

class TokenRequestError extends Error {}

/** The request's fields: the form (or JSON) body, then HTTP Basic credentials for what it lacks. */
async function tokenRequestFields(request: ApiRequest): Promise<Record<string, unknown>> {
  const text = (await request.readBody(MAX_TOKEN_BODY_BYTES)).toString('utf8');
  let fields: Record<string, unknown>;
  if ((headerOf(request, 'content-type') ?? '').includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TokenRequestError('body is not valid JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new TokenRequestError('body must be a JSON object');
    }
    fields = { ...parsed };
  } else {
    fields = Object.fromEntries(new URLSearchParams(text));
  }
  const basic = headerOf(request, 'authorization');
  if (basic?.toLowerCase().startsWith('basic ')) {
    // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
    const [id, ...rest] = Buffer.from(basic.slice(6).trim(), 'base64').toString('utf8').split(':');
    fields.client_id ??= decodeCredential(id ?? '', 'client_id');
    fields.client_secret ??= decodeCredential(rest.join(':'), 'client_secret');
  }
  return fields;
}

function decodeCredential(encoded: string, name: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new TokenRequestError(`${name} in the Authorization: Basic header has a malformed %-escape`);
  }
}

/**
 * `POST /oauth/token`: client credentials in the form body (or HTTP Basic) for a bearer token.
 * The one route without a bearer token, so the body (at most MAX_TOKEN_BODY_BYTES) is what it
 * authorizes; its errors are RFC 6749's.
 */
export async function tokenEndpoint(request: ApiRequest): Promise<ApiAnswer> {
  let fields: Record<string, unknown>;
  try {
    fields = await tokenRequestFields(request);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return oauthError(413, 'invalid_request', error.message, { ...CLOSE_CONNECTION });
    }
    if (error instanceof TokenRequestError) return oauthError(400, 'invalid_request', error.message);
    throw error;
  }
  const parsed = ZTokenRequest.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const code = issue?.path[0] === 'grant_type' ? 'unsupported_grant_type' : 'invalid_request';
    return oauthError(400, code, issue?.message ?? 'invalid request');
  }
  const client = await authenticateClient(parsed.data.client_id, parsed.data.client_secret);
  if (!client) return oauthError(401, 'invalid_client', 'unknown client or wrong secret');
  let scopes: Scope[] = client.scopes;
  if (parsed.data.scope !== undefined && parsed.data.scope.trim() !== '') {
    const requested = parseScopeParameter(parsed.data.scope);
    if ('unknown' in requested) {
      return oauthError(400, 'invalid_scope', `unknown scope ${requested.unknown.join(', ')}`);
    }
    const beyond = requested.scopes.filter((scope) => !client.scopes.includes(scope));
    if (beyond.length > 0) {
      return oauthError(400, 'invalid_scope', `this client may not have the scope ${beyond.join(', ')}`);
    }
    scopes = requested.scopes;
  }
  const { token, expiresIn } = issueAccessToken(client.id, { scopes, hubIds: client.hubIds });
  return json({
    access_token: token,
    token_type: 'bearer',
    expires_in: expiresIn,
    scope: formatScopeParameter(scopes),
  });
}

/** Tokens already verified, so a busy client's requests skip the MAC and the JSON; bounded. */
const verified = new Map<string, TokenGrant>();
const MAX_VERIFIED = 10_000;

function grantOf(token: string, now: number): TokenGrant | null {
  const known = verified.get(token);
  if (known && known.expiresAt > now) return known;
  if (known) verified.delete(token);
  const grant = verifyAccessToken(token, now);
  if (grant) {
    if (verified.size >= MAX_VERIFIED) verified.clear();
    verified.set(token, grant);
  }
  return grant;
}

/**
 * What the bearer token in an Authorization header's value grants, and to which client (scheme
 * matched case-insensitively: the SDK sends "bearer"). The token is checked in memory; whether its
 * client is still active comes from a cache that every revoke empties at once
 * (lib/auth/active-clients.ts), so a busy client costs the database nothing per request.
 */
export async function requireBearer(authorization: string | undefined): Promise<TokenGrant> {
  const match = /^bearer\s+(\S+)$/i.exec((authorization ?? '').trim());
  const challenge = { 'WWW-Authenticate': 'Bearer realm="herald"' };
  if (!match?.[1]) {
    throw new HttpError(401, 'UNAUTHORIZED', 'an Authorization: Bearer token is required', undefined, challenge);
  }
  const grant = grantOf(match[1], Date.now());
  if (!grant || !(await activeClients().isActive(grant.clientId))) {
    throw new HttpError(401, 'UNAUTHORIZED', 'the token is invalid, expired or revoked', undefined, challenge);
  }
  return grant;
}
