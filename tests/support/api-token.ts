import { createApiClient } from '../../lib/auth/api-clients';

/** A bearer token for the API served at `apiUrl`, from a fresh client (client credentials). */
export async function apiToken(apiUrl: string, name = 'test client'): Promise<string> {
  const client = await createApiClient(name);
  const response = await fetch(`${apiUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
