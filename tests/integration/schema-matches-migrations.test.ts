import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database } from '../../lib/db/client';
import { readMigrations } from '../../lib/db/migrate';
import { expectedColumn, readPrismaSchema } from '../support/prisma-schema';

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  character_maximum_length: number | null;
  datetime_precision: number | null;
}

const schema = readPrismaSchema();
let client: pg.Client;
let columns: ColumnRow[];

beforeAll(async () => {
  client = new pg.Client({ connectionString: database().url });
  await client.connect();
  ({ rows: columns } = await client.query<ColumnRow>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, character_maximum_length, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public'`,
  ));
});

afterAll(async () => {
  await client.end();
});

describe('the migrated database matches schema.prisma', () => {
  it('has every model as a table, with no column the schema does not know', () => {
    for (const model of schema.models) {
      const actual = columns.filter((column) => column.table_name === model.table).map((column) => column.column_name);
      expect(actual.length, `table ${model.table} for model ${model.name}`).toBeGreaterThan(0);
      expect(actual.sort(), model.name).toEqual(model.fields.map((field) => field.column).sort());
    }
  });

  it('gives every field the right type and nullability', () => {
    const fields = schema.models.flatMap((model) => model.fields.map((field) => ({ model, field })));
    expect(fields.length).toBeGreaterThan(80);
    for (const { model, field } of fields) {
      const column = columns.find(
        (candidate) => candidate.table_name === model.table && candidate.column_name === field.column,
      );
      const where = `${model.name}.${field.name} (${model.table}.${field.column})`;
      expect(column, where).toBeDefined();
      const expected = expectedColumn(field, schema.enums);
      expect(column?.data_type, where).toBe(expected.dataType);
      expect(column?.udt_name, where).toBe(expected.udtName);
      if (expected.length !== null) expect(column?.character_maximum_length, where).toBe(expected.length);
      if (expected.precision !== null) expect(column?.datetime_precision, where).toBe(expected.precision);
      // Prisma maps scalar lists to nullable array columns.
      expect(column?.is_nullable, where).toBe(field.optional || field.list ? 'YES' : 'NO');
    }
  });

  it('has every enum with exactly its values', async () => {
    const { rows } = await client.query<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = new Map(rows.map((row) => [row.name, row.values]));
    const text = (await import('node:fs')).readFileSync('prisma/schema.prisma', 'utf8');
    for (const [name, dbName] of schema.enums) {
      const body = new RegExp(`enum\\s+${name}\\s*\\{([^}]*)\\}`).exec(text)?.[1] ?? '';
      const values = body
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /^\w+$/.test(line));
      expect(actual.get(dbName), name).toEqual(values);
    }
  });

  it('records every migration in _prisma_migrations like prisma migrate deploy', async () => {
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    const migrations = await readMigrations();
    expect(rows.map((row) => row.migration_name)).toEqual(migrations.map((migration) => migration.name));
    for (const [index, row] of rows.entries()) {
      expect(row.checksum).toBe(migrations[index]?.checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('has a real foreign key for every relation and an index on every foreign key', async () => {
    const { rows: keys } = await client.query<{ table: string; column: string }>(
      `SELECT tc.table_name AS table, kcu.column_name AS column
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu
           ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
        WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
    );
    const { rows: indexes } = await client.query<{ table: string; definition: string }>(
      `SELECT tablename AS table, indexdef AS definition FROM pg_indexes WHERE schemaname = 'public'`,
    );
    expect(keys.length).toBeGreaterThanOrEqual(10);
    for (const key of keys) {
      const leading = indexes.some(
        (index) => index.table === key.table && new RegExp(`\\("?${key.column}"?[,)]`).test(index.definition),
      );
      expect(leading, `index leading with ${key.table}.${key.column}`).toBe(true);
    }
  });

  // The activity log's day partitions are aligned instead (see the partitioning migration): a
  // foreign key into a partitioned table would make every dropped day check the referencing one.
  const ALIGNED = new Set(['deliveries.event_id', 'delivery_attempts.delivery_id']);

  it('has a foreign key for every relation of schema.prisma but the partition-aligned ones, which share day bounds', async () => {
    const { rows: keys } = await client.query<{ table: string; columns: string[]; referenced: string }>(
      `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS referenced,
              array_agg(a.attname::text ORDER BY k.n) AS columns
         FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
        WHERE c.contype = 'f' AND c.conparentid = 0
        GROUP BY c.oid, c.conrelid, c.confrelid`,
    );
    expect(schema.relations.length).toBeGreaterThanOrEqual(15);
    for (const relation of schema.relations) {
      const name = `${relation.table}.${relation.columns.join(',')}`;
      const key = keys.find(
        (candidate) => candidate.table === relation.table && candidate.columns.join(',') === relation.columns.join(','),
      );
      if (ALIGNED.has(name)) {
        expect(key, `${name} has no foreign key`).toBeUndefined();
      } else {
        expect(key?.referenced, `foreign key ${name}`).toBe(relation.referencedTable);
      }
    }
    const { rows: partitions } = await client.query<{ parent: string; lower: string | null; upper: string }>(
      'SELECT parent, lower::text, upper::text FROM herald_log_partitions',
    );
    const bounds = (parent: string) =>
      partitions
        .filter((partition) => partition.parent === parent)
        .map((partition) => `${partition.lower}..${partition.upper}`)
        .sort();
    expect(bounds('events').length).toBeGreaterThanOrEqual(3);
    expect(bounds('deliveries')).toEqual(bounds('events'));
    expect(bounds('delivery_attempts')).toEqual(bounds('events'));
  });
});
