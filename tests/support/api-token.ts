import { createApiClient } from '../../lib/auth/api-clients';

/** A fresh client (client credentials) and a bearer token for it, for the API served at `apiUrl`. */
export async function apiClientWithToken(apiUrl: string, name = 'test client'): Promise<{ id: string; token: string }> {
  const client = await createApiClient(name);
  const response = await fetch(`${apiUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
  return { id: client.id, token: ((await response.json()) as { access_token: string }).access_token };
}

/** A bearer token for the API served at `apiUrl`, from a fresh client (client credentials). */
export async function apiToken(apiUrl: string, name = 'test client'): Promise<string> {
  return (await apiClientWithToken(apiUrl, name)).token;
}
