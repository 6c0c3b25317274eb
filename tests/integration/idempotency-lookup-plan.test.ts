import { beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/auth/api-clients';
import { database } from '../../lib/db/client';
import { FIND_KEY } from '../../lib/idempotency/store-sql';
import { defaultHubId } from '../support/herald';

/** The plan of the `Idempotency-Key` lookup (the keys themselves, over HTTP, are in idempotent-ingest.test.ts). */
let hubId: string;

beforeAll(async () => {
  hubId = await defaultHubId();
});

describe('the key lookup', () => {
  it('probes one key however many keys its client has, in the plan a prepared statement keeps', async () => {
    const { id: lonelyClient } = await createApiClient('idempotency lookup plan');
    const db = await database().pool.connect();
    try {
      // Past its fifth execution a prepared statement may switch to a generic plan, kept however the table grows.
      // The very text Herald sends (its parameters: hub, client, key).
      await db.query(`PREPARE lookup_plan(text, text, text) AS ${FIND_KEY.text}`);
      const scope = `${db.escapeLiteral(hubId)}, ${db.escapeLiteral(lonelyClient)}`;
      for (let run = 0; run < 8; run++) await db.query(`EXECUTE lookup_plan(${scope}, 'absent-${run}')`);
      // The plan it keeps was made while the client had no keys; then it gets a day's worth.
      await db.query(
        `INSERT INTO idempotency_keys (hub_id, client_id, key, body_hash, answer)
         SELECT $1, $2, 'plan-' || n, '\\x00', '{}' FROM generate_series(1, 3000) AS n`,
        [hubId, lonelyClient],
      );
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, COSTS OFF) EXECUTE lookup_plan(${scope}, 'plan-1500')`,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index (Only )?Scan/);
      expect(plan).not.toMatch(/Rows Removed by Filter/);
      expect(plan).not.toMatch(/Seq Scan/);
    } finally {
      await db.query('DEALLOCATE ALL').catch(() => undefined);
      db.release();
    }
  });
});
