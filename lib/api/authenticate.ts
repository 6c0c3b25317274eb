import { z } from 'zod';
import { issueAccessToken, verifyAccessToken } from '../auth/access-tokens';
import { activeClient, authenticateClient } from '../auth/api-clients';
import { HttpError, json } from './http';

const ZTokenRequest = z.object({
  grant_type: z.literal('client_credentials', { error: 'grant_type must be client_credentials' }),
  client_id: z.string({ error: 'client_id is required' }).min(1, 'client_id is required'),
  client_secret: z.string({ error: 'client_secret is required' }).min(1, 'client_secret is required'),
});

/** OAuth2 errors use RFC 6749's shape, which OAuth clients (the SDK included) read. */
function oauthError(status: number, error: string, description: string): Response {
  return json({ error, error_description: description }, status);
}

/** `POST /oauth/token`: client credentials in the form body (or HTTP Basic) for a bearer token. */
export async function tokenEndpoint(request: Request): Promise<Response> {
  let fields: Record<string, string> = {};
  const contentType = request.headers.get('content-type') ?? '';
  const text = await request.text();
  if (contentType.includes('application/json')) {
    try {
      fields = JSON.parse(text) as Record<string, string>;
    } catch {
      return oauthError(400, 'invalid_request', 'body is not valid JSON');
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(text));
  }
  const basic = request.headers.get('authorization');
  if (basic?.toLowerCase().startsWith('basic ')) {
    const [id, ...rest] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':');
    fields.client_id ??= decodeURIComponent(id ?? '');
    fields.client_secret ??= decodeURIComponent(rest.join(':'));
  }
  const parsed = ZTokenRequest.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const code = issue?.path[0] === 'grant_type' ? 'unsupported_grant_type' : 'invalid_request';
    return oauthError(400, code, issue?.message ?? 'invalid request');
  }
  const client = await authenticateClient(parsed.data.client_id, parsed.data.client_secret);
  if (!client) return oauthError(401, 'invalid_client', 'unknown client or wrong secret');
  const { token, expiresIn } = issueAccessToken(client.id);
  return json({ access_token: token, token_type: 'bearer', expires_in: expiresIn });
}

/** The client id behind a request's bearer token (scheme matched case-insensitively: the SDK sends "bearer"). */
export async function requireClient(request: Request): Promise<string> {
  const header = request.headers.get('authorization') ?? '';
  const match = /^bearer\s+(\S+)$/i.exec(header.trim());
  const challenge = { 'WWW-Authenticate': 'Bearer realm="herald"' };
  if (!match?.[1]) {
    throw new HttpError(401, 'UNAUTHORIZED', 'an Authorization: Bearer token is required', undefined, challenge);
  }
  const clientId = verifyAccessToken(match[1]);
  if (!clientId || !(await activeClient(clientId))) {
    throw new HttpError(401, 'UNAUTHORIZED', 'the token is invalid, expired or revoked', undefined, challenge);
  }
  return clientId;
}
