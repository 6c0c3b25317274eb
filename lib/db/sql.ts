import type pg from 'pg';

/**
 * Typed SQL, for every query Herald writes by hand: statements are composed from fragments as
 * values, compiled once when their module loads, and sent as named prepared statements, so the
 * text PostgreSQL plans is the one a reader sees and is planned once per connection.
 *
 * A fragment is a tagged template (`sql`) whose holes are other fragments, a statement's
 * parameters (`param`, `jsonParam`: a value each run) or constants that travel with the fragment
 * that needs them (`bound`). Numbering ($1, $2, …) is done by the compiler: no module hands
 * another a placeholder's number or an SQL string to splice, and a fragment that reads a
 * parameter says how that parameter's value is encoded.
 */

/** What a statement runs on: the pool, a pooled connection, or a transaction's connection. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** A parameter of a statement: `encode` turns the caller's value into what pg sends. */
export interface Param<T> {
  readonly kind: 'param';
  /** The type the text casts it to (`$4::jsonb`), or none. */
  readonly cast: string | null;
  readonly encode: (value: T) => unknown;
}

/** A constant sent as a parameter of every statement the fragment holding it goes into. */
export interface Bound {
  readonly kind: 'bound';
  readonly cast: string | null;
  readonly value: unknown;
}

type Part = string | Sql | Param<never> | Bound;

export class Sql {
  constructor(readonly parts: readonly Part[]) {}
}

export type Hole = Sql | Param<never> | Bound;

export function sql(strings: TemplateStringsArray, ...holes: readonly Hole[]): Sql {
  const parts: Part[] = [];
  strings.forEach((text, index) => {
    if (text !== '') parts.push(text);
    const hole = holes[index];
    if (hole !== undefined) parts.push(hole);
  });
  return new Sql(parts);
}

/** A parameter sent as the caller gives it (pg's own encoding: text, numbers, arrays, dates, null). */
export function param<T>(cast: string | null = null): Param<T> {
  return { kind: 'param', cast, encode: (value) => value };
}

/**
 * A parameter sent as one JSON document, which `toJson` builds from the caller's value (null
 * stays NULL, which json_to_recordset reads as no rows). JSON.stringify and PostgreSQL's JSON
 * parser are both native code: rows of a batch travel as one array rather than a column each.
 */
export function jsonParam<T>(cast: 'json' | 'jsonb', toJson: (value: T) => unknown): Param<T> {
  return {
    kind: 'param',
    cast,
    encode: (value) => {
      const json = toJson(value);
      return json === null ? null : JSON.stringify(json);
    },
  };
}

export function bound(value: unknown, cast: string | null = null): Bound {
  return { kind: 'bound', cast, value };
}

type Params = Record<string, Param<never>>;

/** The values a statement with parameters `P` takes. */
export type ValuesOf<P extends Params> = { [K in keyof P]: P[K] extends Param<infer T> ? T : never };

export interface Statement<P extends Params, R extends pg.QueryResultRow> {
  readonly name: string;
  readonly text: string;
  /** What is sent for `$1`, `$2`, …: each parameter encoded, and the bound constants. */
  values(values: ValuesOf<P>): unknown[];
  run(db: Queryable, values: ValuesOf<P>): Promise<pg.QueryResult<R>>;
}

export interface StatementOptions {
  /**
   * Sent unnamed, so it is planned with each run's values. For a statement whose values decide
   * what it reads (a constant list of ids the planner prunes partitions by).
   */
  planEachRun?: boolean;
}

/**
 * Compiles `build(params)` once. Each parameter is numbered where it first appears and keeps its
 * number wherever it appears again; bound constants follow. A parameter the text uses but `params`
 * does not declare is a programming error, thrown when the module loads.
 */
export function statement<P extends Params, R extends pg.QueryResultRow>(
  name: string,
  params: P,
  build: (params: P) => Sql,
  options: StatementOptions = {},
): Statement<P, R> {
  const keys = new Map<Param<never>, keyof P & string>();
  for (const [key, value] of Object.entries(params)) keys.set(value, key);
  const numbers = new Map<Param<never> | Bound, number>();
  const sources: ((values: ValuesOf<P>) => unknown)[] = [];
  let text = '';
  const numberOf = (hole: Param<never> | Bound): number => {
    const known = numbers.get(hole);
    if (known !== undefined) return known;
    if (hole.kind === 'bound') {
      sources.push(() => hole.value);
    } else {
      const key = keys.get(hole);
      if (key === undefined)
        throw new Error(`statement ${name}: a fragment reads a parameter the statement does not declare`);
      const encode = hole.encode as (value: unknown) => unknown;
      sources.push((values) => encode(values[key]));
    }
    numbers.set(hole, sources.length);
    return sources.length;
  };
  const append = (fragment: Sql) => {
    for (const part of fragment.parts) {
      if (typeof part === 'string') text += part;
      else if (part instanceof Sql) append(part);
      else text += `$${numberOf(part)}${part.cast === null ? '' : `::${part.cast}`}`;
    }
  };
  append(build(params));
  const encoded = (values: ValuesOf<P>) => sources.map((source) => source(values));
  return {
    name,
    text,
    values: encoded,
    run: (db, values) => db.query<R>({ ...(options.planEachRun ? {} : { name }), text, values: encoded(values) }),
  };
}

/**
 * Prisma's raw queries, for a statement that joins a transaction Prisma owns (a webhook's save
 * names its addresses and queues their jobs in it). Prisma sends the text unnamed, so such a run
 * is planned each time whatever the statement's options.
 */
export interface PrismaRaw {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): PromiseLike<T>;
}

/** Runs a statement through Prisma, answering how many rows it wrote. */
export function executeInPrisma<P extends Params>(
  db: Pick<PrismaRaw, '$executeRawUnsafe'>,
  statement: Statement<P, pg.QueryResultRow>,
  values: ValuesOf<P>,
): PromiseLike<number> {
  return db.$executeRawUnsafe(statement.text, ...statement.values(values));
}

/** What a write runs on: a pg pool or connection, or a transaction Prisma owns. */
export type Executor = Queryable | Pick<PrismaRaw, '$executeRawUnsafe'>;

/** Runs a statement that writes on either, for modules whose callers hold one or the other. */
export async function execute<P extends Params>(
  db: Executor,
  statement: Statement<P, pg.QueryResultRow>,
  values: ValuesOf<P>,
): Promise<void> {
  if ('$executeRawUnsafe' in db) await executeInPrisma(db, statement, values);
  else await statement.run(db, values);
}

/** Runs a statement through Prisma, answering its rows. */
export function queryInPrisma<P extends Params, R extends pg.QueryResultRow>(
  db: Pick<PrismaRaw, '$queryRawUnsafe'>,
  statement: Statement<P, R>,
  values: ValuesOf<P>,
): PromiseLike<R[]> {
  return db.$queryRawUnsafe<R[]>(statement.text, ...statement.values(values));
}
