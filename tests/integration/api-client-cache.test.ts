import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeClients } from '../../lib/auth/active-clients';
import { createApiClient, ensureBootstrapClient, revokeApiClient } from '../../lib/auth/api-clients';
import { database } from '../../lib/db/client';
import { startApiServer } from '../support/herald';
import { waitFor } from '../support/wait';

/**
 * The API asks "is this client still active?" on every request and caches the answer per web
 * server. These tests show the answer is cached, that a revoke still takes effect at once (the
 * NOTIFY a trigger sends at commit, not the cache's 5-minute safety net), and that without LISTEN
 * the cache is not trusted at all.
 */
let api: { url: string; close(): Promise<void> };

beforeAll(async () => {
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
});

async function tokenFor(client: { id: string; secret: string }): Promise<string> {
  const response = await fetch(`${api.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function hubsStatus(token: string): Promise<number> {
  const response = await fetch(`${api.url}/v2/content/hubs`, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

/** Sets revoked_at without the trigger: a change no web server hears of. */
async function setRevokedSilently(clientId: string, revoked: boolean): Promise<void> {
  const client = await database().pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE api_clients DISABLE TRIGGER api_clients_notify_on_update');
    await client.query(`UPDATE api_clients SET revoked_at = ${revoked ? 'now()' : 'NULL'} WHERE id = $1`, [clientId]);
    await client.query('ALTER TABLE api_clients ENABLE TRIGGER api_clients_notify_on_update');
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const listening = () => waitFor(() => activeClients().listening, { what: 'the API client cache to LISTEN' });

describe('the active-client cache', () => {
  it('answers from the cache, and a revoke takes effect as soon as it commits', async () => {
    const client = await createApiClient('cached client');
    const token = await tokenFor(client);
    await listening();
    expect(await hubsStatus(token)).toBe(200);

    // Revoked behind the cache's back: still let in, so the answer did come from the cache.
    await setRevokedSilently(client.id, true);
    expect(await hubsStatus(token)).toBe(200);
    await setRevokedSilently(client.id, false);

    // A real revoke NOTIFYs: refused long before the cache entry would expire (5 minutes).
    await revokeApiClient(client.id);
    await waitFor(async () => (await hubsStatus(token)) === 401, { timeoutMs: 10_000, what: 'the revoke to apply' });
  });

  it('lets a restored client back in just as promptly', async () => {
    const client = { id: 'cache-bootstrap-client', secret: 'a-secret-of-enough-length' };
    await ensureBootstrapClient(client.id, client.secret);
    const token = await tokenFor(client);
    await listening();
    expect(await hubsStatus(token)).toBe(200);
    await revokeApiClient(client.id);
    await waitFor(async () => (await hubsStatus(token)) === 401, { timeoutMs: 10_000, what: 'the revoke to apply' });
    // Restored by an operator in the database (a revoked bootstrap client stays revoked across starts).
    await database().pool.query('UPDATE api_clients SET revoked_at = NULL WHERE id = $1', [client.id]);
    await waitFor(async () => (await hubsStatus(token)) === 200, { timeoutMs: 10_000, what: 'the restore to apply' });
  });

  it('asks the database while LISTEN is down, and starts afresh when it is back', async () => {
    const client = await createApiClient('client while LISTEN is down');
    const token = await tokenFor(client);
    await listening();
    expect(await hubsStatus(token)).toBe(200);

    await database().pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query = 'LISTEN "herald_api_clients"'`,
    );
    await waitFor(() => !activeClients().listening, { what: 'the cache to notice LISTEN is gone' });
    // Nobody is told of this revoke, yet it applies at once: the cache is not used.
    await setRevokedSilently(client.id, true);
    expect(await hubsStatus(token)).toBe(401);

    // Back: the entries from before are gone, so the silent restore is seen too.
    await setRevokedSilently(client.id, false);
    await listening();
    expect(await hubsStatus(token)).toBe(200);
  });
});
