import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/auth/api-clients';
import { database } from '../../lib/db/client';
import { DeliveryConfigCache } from '../../lib/delivery/webhook-config';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { getWebhook } from '../../lib/webhooks/get-webhooks';
import { basicAuthHeaderValue } from '../../lib/webhooks/headers';
import { regenerateSecret, updateWebhook } from '../../lib/webhooks/update-webhook';
import { defaultHubId } from '../support/herald';

/** Every row of every table as text: what a `pg_dump --data-only` would show. */
async function dumpAllRows(): Promise<string> {
  const client = new pg.Client({ connectionString: database().url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
    );
    const parts: string[] = [];
    for (const { name } of tables) {
      const { rows } = await client.query(`SELECT row_to_json(t)::text AS row FROM ${pg.escapeIdentifier(name)} t`);
      parts.push(...rows.map((row: { row: string }) => row.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

describe('secrets at rest', () => {
  it('a database dump shows no webhook secret, secret header value or API client secret in clear', async () => {
    const hubId = await defaultHubId();
    const ownSecret = 'my-own-very-secret-signing-key-0123456789';
    const webhook = await createWebhook(hubId, {
      label: 'Secretive',
      events: ['dynamic-content.edition.scheduled'],
      handlers: ['https://example.com/h'],
      secret: ownSecret,
      headers: [
        { key: 'X-Api-Key', value: 'header-secret-value-42', secret: true },
        { key: 'Authorization', value: basicAuthHeaderValue('alice', 'wonderland-password'), secret: true },
      ],
    });
    const regenerated = await regenerateSecret(hubId, webhook.id);
    const client = await createApiClient('dump test');

    const dump = await dumpAllRows();
    for (const secret of [
      ownSecret,
      regenerated.secret,
      'header-secret-value-42',
      basicAuthHeaderValue('alice', 'wonderland-password'),
      Buffer.from('alice:wonderland-password').toString('base64'),
      client.secret,
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(dump).toContain('Secretive');

    // ...while Herald itself can still read them back.
    expect((await getWebhook(hubId, webhook.id)).secret).toBe(regenerated.secret);
  });

  it('never returns a secret header value once saved, and keeps it when written back as null', async () => {
    const hubId = await defaultHubId();
    const webhook = await createWebhook(hubId, {
      label: 'Keep',
      events: ['dynamic-content.edition.scheduled'],
      handlers: ['https://example.com/h'],
      headers: [{ key: 'X-Token', value: 'keep-me', secret: true }],
    });
    expect(webhook.headers).toEqual([{ key: 'X-Token', value: null, secret: true }]);
    // A client that reads the webhook and writes its headers back as they came keeps the value.
    const written = await updateWebhook(hubId, webhook.id, { headers: webhook.headers, label: 'Keep (renamed)' });
    expect(written.headers).toEqual([{ key: 'X-Token', value: null, secret: true }]);
    const configs = await new DeliveryConfigCache(database().prisma).get(
      new Map([[webhook.id, written.lastModifiedDate.getTime()]]),
    );
    const sealed = configs.get(webhook.id)?.sealed;
    expect(sealed?.ok && sealed.headers).toEqual([{ key: 'X-Token', value: 'keep-me', secret: true }]);
    const updated = await updateWebhook(hubId, webhook.id, {
      headers: [...webhook.headers, { key: 'X-New', value: null, secret: true }],
    }).catch((error: Error) => error);
    expect(updated).toBeInstanceOf(Error);
    expect((updated as Error).message).toBe('headers.1.value: a new secret header needs a value');
  });
});

describe('the encryption key', () => {
  it('start-up refuses a key that does not open the stored secrets', async () => {
    const { verifyEncryptionKey } = await import('../../lib/crypto/verify-key');
    const { resetEncryptionKeyCache } = await import('../../lib/crypto/encryption-key');
    const { resetEnvCache } = await import('../../lib/config/env');
    const { randomBytes } = await import('node:crypto');
    await verifyEncryptionKey();
    const original = process.env.HERALD_ENCRYPTION_KEY;
    process.env.HERALD_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    resetEnvCache();
    resetEncryptionKeyCache();
    try {
      await expect(verifyEncryptionKey()).rejects.toThrow('The encryption key does not open the secrets stored');
    } finally {
      process.env.HERALD_ENCRYPTION_KEY = original;
      resetEnvCache();
      resetEncryptionKeyCache();
    }
  });
});
