import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  bound,
  executeInPrisma,
  jsonParam,
  param,
  type Queryable,
  queryInPrisma,
  sql,
  statement,
} from '../../lib/db/sql';

/** A connection that records what it was sent and answers no rows. */
function recorder() {
  const sent: pg.QueryConfig[] = [];
  const db = {
    query: async (config: pg.QueryConfig) => {
      sent.push(config);
      return { rows: [], rowCount: 0 };
    },
  } as unknown as Queryable;
  return { db, sent };
}

describe('typed SQL statements', () => {
  it('numbers parameters where they first appear and reuses the number', async () => {
    const find = statement(
      'find',
      { hubId: param<string>(), limit: param<number>('int') },
      (p) => sql`SELECT id FROM webhooks WHERE hub_id = ${p.hubId} LIMIT ${p.limit} -- ${p.hubId}`,
    );
    expect(find.text).toBe('SELECT id FROM webhooks WHERE hub_id = $1 LIMIT $2::int -- $1');
    const { db, sent } = recorder();
    await find.run(db, { hubId: 'h', limit: 5 });
    expect(sent).toEqual([{ name: 'find', text: find.text, values: ['h', 5] }]);
  });

  it('composes fragments that carry their own constants, numbered after the parameters they precede', async () => {
    const BUCKETS = bound([1, 2, 3], 'float8[]');
    const counted = (source: ReturnType<typeof sql>) =>
      sql`SELECT width_bucket(x, ${BUCKETS}), cardinality(${BUCKETS}) FROM ${source}`;
    const rows = jsonParam<{ a: number }[]>('json', (items) => items.map(({ a }) => ({ a_value: a })));
    const insert = statement(
      'insert',
      { rows, owner: param<string>() },
      (p) => sql`WITH r AS (SELECT * FROM json_to_recordset(${p.rows})) ${counted(sql`r`)} WHERE o = ${p.owner}`,
    );
    expect(insert.text).toBe(
      'WITH r AS (SELECT * FROM json_to_recordset($1::json)) SELECT width_bucket(x, $2::float8[]), cardinality($2::float8[]) FROM r WHERE o = $3',
    );
    const { db, sent } = recorder();
    await insert.run(db, { rows: [{ a: 1 }], owner: 'w' });
    expect(sent[0]?.values).toEqual(['[{"a_value":1}]', [1, 2, 3], 'w']);
  });

  it('sends a JSON parameter whose rows come to null as NULL', async () => {
    const items = statement(
      'items',
      { items: jsonParam<string[]>('jsonb', (list) => (list.length === 0 ? null : list)) },
      (p) => sql`SELECT * FROM jsonb_array_elements(${p.items})`,
    );
    const { db, sent } = recorder();
    await items.run(db, { items: [] });
    expect(sent[0]?.values).toEqual([null]);
  });

  it('refuses, when it compiles, a parameter the statement does not declare', () => {
    const stray = param<string>();
    expect(() => statement('stray', {}, () => sql`SELECT ${stray}`)).toThrow(/does not declare/);
  });

  it('runs through Prisma with the text and values it sends pg', async () => {
    const add = statement(
      'add',
      { rows: jsonParam<number[]>('jsonb', (list) => list), owner: param<string>() },
      (p) =>
        sql`INSERT INTO t SELECT * FROM jsonb_array_elements(${p.rows}) WHERE ${p.owner} <> ${bound(7)} RETURNING 1`,
    );
    const calls: unknown[][] = [];
    const tx = {
      $executeRawUnsafe: async (...args: unknown[]) => {
        calls.push(args);
        return 1;
      },
      $queryRawUnsafe: async <T>(...args: unknown[]) => {
        calls.push(args);
        return [{ one: 1 }] as T;
      },
    };
    expect(await executeInPrisma(tx, add, { rows: [1], owner: 'w' })).toBe(1);
    expect(await queryInPrisma(tx, add, { rows: [2], owner: 'v' })).toEqual([{ one: 1 }]);
    const { db, sent } = recorder();
    await add.run(db, { rows: [1], owner: 'w' });
    expect(calls).toEqual([
      [add.text, ...(sent[0]?.values ?? [])],
      [add.text, '[2]', 'v', 7],
    ]);
    expect(add.text).toBe('INSERT INTO t SELECT * FROM jsonb_array_elements($1::jsonb) WHERE $2 <> $3 RETURNING 1');
  });

  it('sends a statement planned per run without a name', async () => {
    const complete = statement('complete', { ids: param<string[]>('uuid[]') }, (p) => sql`SELECT ${p.ids}`, {
      planEachRun: true,
    });
    const { db, sent } = recorder();
    await complete.run(db, { ids: ['x'] });
    expect(sent[0]).toEqual({ text: 'SELECT $1::uuid[]', values: [['x']] });
  });
});
