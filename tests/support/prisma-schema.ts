import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A small reader for the parts of schema.prisma the schema test compares with the database. */

export interface SchemaField {
  model: string;
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  nativeType: string | null;
}

export interface SchemaModel {
  name: string;
  table: string;
  fields: SchemaField[];
}

/** A relation field that holds the foreign key (`@relation(fields: [...], references: [...])`). */
export interface SchemaRelation {
  table: string;
  columns: string[];
  referencedTable: string;
}

export interface PrismaSchema {
  models: SchemaModel[];
  relations: SchemaRelation[];
  /** Enum name → database type name. */
  enums: Map<string, string>;
}

const SCALARS = new Set(['String', 'Int', 'BigInt', 'Boolean', 'DateTime', 'Json', 'Float', 'Decimal', 'Bytes']);

export function readPrismaSchema(file = path.resolve(import.meta.dirname, '../../prisma/schema.prisma')): PrismaSchema {
  const text = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
  const enums = new Map<string, string>();
  for (const match of text.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g)) {
    const [, name, body] = match as unknown as [string, string, string];
    enums.set(name, /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name);
  }
  const models: SchemaModel[] = [];
  const pending: { model: string; fields: string[]; references: string }[] = [];
  for (const match of text.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)) {
    const [, name, body] = match as unknown as [string, string, string];
    const fields: SchemaField[] = [];
    for (const line of body.split('\n').map((candidate) => candidate.trim())) {
      const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!field || line.startsWith('@@')) continue;
      const [, fieldName, type, list, optional, attributes] = field as unknown as [
        string,
        string,
        string,
        string | undefined,
        string | undefined,
        string,
      ];
      if (!SCALARS.has(type) && !enums.has(type)) {
        const relation = /@relation\([^)]*fields:\s*\[([^\]]*)\]/.exec(attributes);
        if (relation?.[1])
          pending.push({ model: name, fields: relation[1].split(',').map((f) => f.trim()), references: type });
        continue;
      }
      fields.push({
        model: name,
        name: fieldName,
        column: /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? fieldName,
        type,
        optional: Boolean(optional),
        list: Boolean(list),
        nativeType: /@db\.(\w+(?:\([^)]*\))?)/.exec(attributes)?.[1] ?? null,
      });
    }
    models.push({ name, table: /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name, fields });
  }
  const relations = pending.map(({ model, fields, references }) => {
    const owner = models.find((candidate) => candidate.name === model) as SchemaModel;
    return {
      table: owner.table,
      columns: fields.map((field) => owner.fields.find((candidate) => candidate.name === field)?.column ?? field),
      referencedTable: models.find((candidate) => candidate.name === references)?.table ?? references,
    };
  });
  return { models, relations, enums };
}

/** What information_schema should say for a field: data_type, udt_name, and length or precision. */
export function expectedColumn(field: SchemaField, enums: Map<string, string>) {
  if (field.list) {
    const element =
      { String: '_text', Int: '_int4', BigInt: '_int8', Boolean: '_bool' }[field.type] ?? `_${field.type}`;
    return { dataType: 'ARRAY', udtName: element, length: null, precision: null };
  }
  const enumName = enums.get(field.type);
  if (enumName) return { dataType: 'USER-DEFINED', udtName: enumName, length: null, precision: null };
  const native = field.nativeType;
  const size = native ? Number(/\((\d+)\)/.exec(native)?.[1] ?? Number.NaN) : Number.NaN;
  switch (field.type) {
    case 'String':
      if (native?.startsWith('VarChar'))
        return { dataType: 'character varying', udtName: 'varchar', length: size, precision: null };
      if (native === 'Uuid') return { dataType: 'uuid', udtName: 'uuid', length: null, precision: null };
      return { dataType: 'text', udtName: 'text', length: null, precision: null };
    case 'Int':
      return { dataType: 'integer', udtName: 'int4', length: null, precision: null };
    case 'BigInt':
      return { dataType: 'bigint', udtName: 'int8', length: null, precision: null };
    case 'Boolean':
      return { dataType: 'boolean', udtName: 'bool', length: null, precision: null };
    case 'Bytes':
      return { dataType: 'bytea', udtName: 'bytea', length: null, precision: null };
    case 'Json':
      return native === 'Json'
        ? { dataType: 'json', udtName: 'json', length: null, precision: null }
        : { dataType: 'jsonb', udtName: 'jsonb', length: null, precision: null };
    case 'DateTime':
      return native?.startsWith('Timestamptz')
        ? {
            dataType: 'timestamp with time zone',
            udtName: 'timestamptz',
            length: null,
            precision: Number.isNaN(size) ? 6 : size,
          }
        : { dataType: 'timestamp without time zone', udtName: 'timestamp', length: null, precision: 3 };
    default:
      throw new Error(`no expectation for ${field.model}.${field.name} (${field.type})`);
  }
}
