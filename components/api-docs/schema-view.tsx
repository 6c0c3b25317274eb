import type { ReactNode } from 'react';
import { type JsonSchema, refName } from '@/lib/api/openapi-view';
import { InlineText } from './inline-text';

/**
 * A JSON Schema (OpenAPI 3.1's dialect, as zod writes it) as a readable tree: each property with
 * its type, whether it is required, its description and limits; nested objects fold open on
 * demand (<details>, no script), named schemas say their name.
 */

type Schemas = Readonly<Record<string, JsonSchema>>;

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): JsonSchema[] => (Array.isArray(value) ? value.filter(isSchema) : []);

function resolve(schema: JsonSchema, schemas: Schemas): { schema: JsonSchema; name: string | null } {
  const name = refName(schema);
  return name ? { schema: schemas[name] ?? {}, name } : { schema, name: null };
}

/** `string`, `integer | null`, `array of Webhook`, `"equal"`, `one of 2`: what a value is, in a few words. */
export function typeLabel(raw: JsonSchema, schemas: Schemas): string {
  const { schema, name } = resolve(raw, schemas);
  if (name) return name;
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const variants = list(schema.anyOf ?? schema.oneOf);
  if (variants.length > 0) {
    const labels = variants.map((variant) => typeLabel(variant, schemas));
    return labels.length <= 3 ? labels.join(' | ') : `one of ${labels.length}`;
  }
  const types = Array.isArray(schema.type)
    ? schema.type.map(String)
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  if (types.includes('array')) {
    if (Array.isArray(schema.prefixItems))
      return `[${list(schema.prefixItems)
        .map((item) => typeLabel(item, schemas))
        .join(', ')}]`;
    const items = isSchema(schema.items) ? typeLabel(schema.items, schemas) : 'any';
    return `array of ${items}`;
  }
  const base = types.length > 0 ? types.join(' | ') : 'any';
  return typeof schema.format === 'string' ? `${base} (${schema.format})` : base;
}

/** Limits and defaults worth a reader's attention; a date-time's long pattern is left to its format. */
function constraints(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const add = (key: string, label: string) => {
    if (typeof schema[key] === 'number') notes.push(`${label} ${schema[key]}`);
  };
  add('minLength', 'min length');
  add('maxLength', 'max length');
  add('minimum', 'min');
  add('maximum', 'max');
  add('minItems', 'min items');
  add('maxItems', 'max items');
  if ('default' in schema) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (typeof schema.pattern === 'string' && typeof schema.format !== 'string') notes.push(`pattern ${schema.pattern}`);
  return notes;
}

/** What a schema unfolds into: its properties, its items' properties, or its variants. */
function children(raw: JsonSchema, schemas: Schemas): { kind: 'object' | 'variants' | 'none'; schema: JsonSchema } {
  const { schema } = resolve(raw, schemas);
  if (isSchema(schema.properties)) return { kind: 'object', schema };
  if (isSchema(schema.items)) return children(schema.items, schemas);
  if (Array.isArray(schema.prefixItems)) return { kind: 'variants', schema: { oneOf: schema.prefixItems } };
  const variants = list(schema.anyOf ?? schema.oneOf).filter((variant) => children(variant, schemas).kind !== 'none');
  return variants.length > 0 ? { kind: 'variants', schema: { oneOf: variants } } : { kind: 'none', schema };
}

function Fold({ summary, open = false, children: body }: { summary: ReactNode; open?: boolean; children: ReactNode }) {
  return (
    <details open={open} className="group mt-1">
      <summary className="cursor-pointer text-xs font-medium text-indigo-700 select-none hover:underline">
        {summary}
      </summary>
      <div className="mt-1 border-l-2 border-zinc-100 pl-3">{body}</div>
    </details>
  );
}

function Property({
  name,
  schema,
  required,
  schemas,
  seen,
}: {
  name: string;
  schema: JsonSchema;
  required: boolean;
  schemas: Schemas;
  seen: ReadonlySet<string>;
}) {
  const { schema: resolved } = resolve(schema, schemas);
  const description = typeof schema.description === 'string' ? schema.description : resolved.description;
  const notes = constraints(resolved);
  const nested = children(schema, schemas);
  return (
    <li className="py-2" data-testid="schema-property">
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
        <code className="font-mono text-sm font-semibold break-all text-zinc-900">{name}</code>
        <span className="font-mono text-xs break-all text-zinc-500">{typeLabel(schema, schemas)}</span>
        {required ? <span className="text-xs font-medium text-red-700">required</span> : null}
      </div>
      {typeof description === 'string' ? (
        <p className="mt-0.5 text-sm text-zinc-600">
          <InlineText text={description} />
        </p>
      ) : null}
      {notes.length > 0 ? <p className="mt-0.5 text-xs break-all text-zinc-500">{notes.join(' · ')}</p> : null}
      {nested.kind !== 'none' ? (
        <Fold summary={`Fields of ${name}`}>
          <SchemaBody schema={nested.schema} schemas={schemas} seen={seen} />
        </Fold>
      ) : null}
    </li>
  );
}

function SchemaBody({ schema, schemas, seen }: { schema: JsonSchema; schemas: Schemas; seen: ReadonlySet<string> }) {
  const name = refName(schema);
  if (name && seen.has(name)) return <p className="text-sm text-zinc-500">{name} (as above)</p>;
  const inner = name ? new Set([...seen, name]) : seen;
  const { schema: resolved } = resolve(schema, schemas);
  const unfolded = children(resolved, schemas);
  if (unfolded.kind === 'variants') {
    return (
      <ul className="space-y-1">
        {list(unfolded.schema.oneOf).map((variant, index) => (
          // Variants have no identity but their position, which the schema fixes.
          <li key={index}>
            <Fold summary={`Variant ${index + 1}: ${typeLabel(variant, schemas)}`} open={index === 0}>
              <SchemaBody schema={variant} schemas={schemas} seen={inner} />
            </Fold>
          </li>
        ))}
      </ul>
    );
  }
  if (unfolded.kind === 'none') return <p className="font-mono text-sm text-zinc-700">{typeLabel(schema, schemas)}</p>;
  const properties = unfolded.schema.properties as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(unfolded.schema.required) ? unfolded.schema.required.map(String) : []);
  return (
    <ul className="divide-y divide-zinc-100">
      {Object.entries(properties).map(([property, value]) => (
        <Property
          key={property}
          name={property}
          schema={isSchema(value) ? value : {}}
          required={required.has(property)}
          schemas={schemas}
          seen={inner}
        />
      ))}
    </ul>
  );
}

/** A schema with its name or type on top. */
export function SchemaView({ schema, schemas }: { schema: JsonSchema; schemas: Schemas }) {
  return (
    <div className="rounded-md border border-zinc-200 bg-zinc-50/50 px-3 py-2">
      <p className="font-mono text-xs font-semibold text-zinc-700">{typeLabel(schema, schemas)}</p>
      <SchemaBody schema={schema} schemas={schemas} seen={new Set()} />
    </div>
  );
}
