/**
 * Herald's JSONPath: a strict parser for the subset filters use. Plain TypeScript with no imports,
 * so the webhook editor runs the very same check in the browser as the API does on save.
 *
 * Grammar (RFC 9535 without filter expressions and functions):
 *   path      = "$" segment*
 *   segment   = "." member | ".." ( member | bracket ) | bracket
 *   member    = "*" | name            name: letters, digits, "_", "$", "-" and any non-ASCII character
 *   bracket   = "[" selectors "]"     blanks allowed around selectors and commas
 *   selectors = "*" | slice | selector ( "," selector )*
 *   selector  = index | 'name' | "name"       (backslash escapes \\ \' \" \/ \b \f \n \r \t \uXXXX)
 *   slice     = [index] ":" [index] [ ":" [index] ]
 *
 * Anything else (`$.payload[`, `$[`, `$.`, `$[?(@.x)]`) is invalid: read as a shorter path, it would
 * silently select something else. A path with more than one recursive descent (`..`) is refused
 * because its work grows with the event's size times its depth for every further `..`: on a 60-level
 * event, `$..*..*..*..*` visits millions of nodes. With at most one `..` the work is at most the
 * event's values times the path's steps, and the evaluator counts it (lib/filters/select.ts).
 */

export type Selector =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | null; end: number | null; step: number | null };

export interface Segment {
  /** True for `..`: the selectors apply to the node and all its descendants. */
  descendant: boolean;
  selectors: Selector[];
}

export interface ParsedPath {
  segments: Segment[];
  /** Every segment is one name or index and none is `..`: at most one value, found in `segments.length` steps. */
  direct: boolean;
}

export type JsonPathParse = { ok: true; path: ParsedPath } | { ok: false; problem: JsonPathProblem };

export interface JsonPathProblem {
  /** `invalid`: not a path this grammar reads. `unbounded`: a path whose cost cannot be bounded. */
  kind: 'invalid' | 'unbounded';
  reason: string;
}

/** At most this many recursive descents per path (see the module comment). */
export const MAX_DESCENTS = 1;

class PathSyntaxError extends Error {}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isNameChar(char: string): boolean {
  return /[A-Za-z0-9_$-]/.test(char) || char.charCodeAt(0) >= 0x80;
}

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text[this.position + offset] ?? '';
  }

  /** 1-based, as people count characters. */
  fail(message: string, at = this.position): never {
    throw new PathSyntaxError(`${message} at character ${at + 1}`);
  }

  describeNext(): string {
    return this.done ? 'the path ends' : `"${this.peek()}"`;
  }

  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position++;
  }
}

function readName(reader: Reader): string {
  const start = reader.position;
  while (!reader.done && isNameChar(reader.peek())) reader.position++;
  return reader.text.slice(start, reader.position);
}

function readMember(reader: Reader, after: string): Selector[] {
  if (reader.peek() === '*') {
    reader.position++;
    return [{ kind: 'wildcard' }];
  }
  const name = readName(reader);
  if (name === '') reader.fail(`a name or * is expected after "${after}", but ${reader.describeNext()}`);
  return [{ kind: 'name', name }];
}

function readInteger(reader: Reader): number | null {
  const match = /^-?\d+/.exec(reader.text.slice(reader.position));
  if (!match) return null;
  const value = Number(match[0]);
  if (!Number.isSafeInteger(value)) reader.fail(`the index ${match[0]} is too large`);
  reader.position += match[0].length;
  return value;
}

function readQuoted(reader: Reader): string {
  const quote = reader.peek();
  const start = reader.position;
  reader.position++;
  let value = '';
  for (;;) {
    if (reader.done) reader.fail(`the name quoted with ${quote} is not closed`, start);
    const char = reader.peek();
    reader.position++;
    if (char === quote) return value;
    if (char !== '\\') {
      value += char;
      continue;
    }
    const escaped = reader.peek();
    reader.position++;
    if (escaped === 'u') {
      const hex = reader.text.slice(reader.position, reader.position + 4);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) reader.fail('\\u must be followed by four hex digits', reader.position - 2);
      value += String.fromCharCode(Number.parseInt(hex, 16));
      reader.position += 4;
    } else if (escaped in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[escaped];
    } else {
      reader.fail(`unknown escape "\\${escaped}"`, reader.position - 2);
    }
  }
}

function readSlice(reader: Reader, start: number | null): Selector {
  const bound = () => {
    reader.skipBlanks();
    const value = readInteger(reader);
    reader.skipBlanks();
    return value;
  };
  reader.position++; // the first ":"
  const end = bound();
  let step: number | null = null;
  if (reader.peek() === ':') {
    reader.position++;
    step = bound();
  }
  return { kind: 'slice', start, end, step };
}

function readSelector(reader: Reader): Selector {
  const char = reader.peek();
  if (char === "'" || char === '"') return { kind: 'name', name: readQuoted(reader) };
  const index = readInteger(reader);
  if (index !== null) return { kind: 'index', index };
  if (char === '?' || char === '(') reader.fail('filter and script expressions ([?(…)], [(…)]) are not supported');
  if (char === '*') reader.fail('* cannot be combined with other selectors in one [...]');
  return reader.fail(`a quoted name, an index, a slice or * is expected, but ${reader.describeNext()}`);
}

function readBracket(reader: Reader): Selector[] {
  const open = reader.position;
  reader.position++; // "["
  reader.skipBlanks();
  if (reader.done) reader.fail('"[" is not closed', open);
  const selectors: Selector[] = [];
  if (reader.peek() === '*') {
    reader.position++;
    selectors.push({ kind: 'wildcard' });
  } else {
    reader.skipBlanks();
    const start = reader.peek() === ':' ? null : readInteger(reader);
    reader.skipBlanks();
    if (reader.peek() === ':') {
      selectors.push(readSlice(reader, start));
    } else if (start !== null) {
      selectors.push({ kind: 'index', index: start });
    } else {
      selectors.push(readSelector(reader));
    }
    reader.skipBlanks();
    while (reader.peek() === ',' && selectors[0]?.kind !== 'slice') {
      reader.position++;
      reader.skipBlanks();
      selectors.push(readSelector(reader));
      reader.skipBlanks();
    }
  }
  reader.skipBlanks();
  if (reader.done) reader.fail('"[" is not closed', open);
  if (reader.peek() !== ']') reader.fail(`"]" is expected, but ${reader.describeNext()}`);
  reader.position++;
  return selectors;
}

function readSegments(reader: Reader): Segment[] {
  const segments: Segment[] = [];
  while (!reader.done) {
    const char = reader.peek();
    if (char === '.' && reader.peek(1) === '.') {
      reader.position += 2;
      const selectors = reader.peek() === '[' ? readBracket(reader) : readMember(reader, '..');
      segments.push({ descendant: true, selectors });
    } else if (char === '.') {
      reader.position++;
      segments.push({ descendant: false, selectors: readMember(reader, '.') });
    } else if (char === '[') {
      segments.push({ descendant: false, selectors: readBracket(reader) });
    } else {
      reader.fail(`".", ".." or "[" is expected, but "${char}"`);
    }
  }
  return segments;
}

/** Reads a path strictly; a problem says what is wrong and where. */
export function parseJsonPath(text: string): JsonPathParse {
  if (!text.startsWith('$')) {
    return { ok: false, problem: { kind: 'invalid', reason: 'it must start with "$"' } };
  }
  const reader = new Reader(text);
  reader.position = 1;
  let segments: Segment[];
  try {
    segments = readSegments(reader);
  } catch (error) {
    if (error instanceof PathSyntaxError) return { ok: false, problem: { kind: 'invalid', reason: error.message } };
    throw error;
  }
  const descents = segments.filter((segment) => segment.descendant).length;
  if (descents > MAX_DESCENTS) {
    return {
      ok: false,
      problem: {
        kind: 'unbounded',
        reason: `it has ${descents} recursive descents (..); at most ${MAX_DESCENTS} is allowed, as each further one multiplies the work by the event's depth`,
      },
    };
  }
  const direct = segments.every(
    (segment) =>
      !segment.descendant &&
      segment.selectors.length === 1 &&
      (segment.selectors[0]?.kind === 'name' || segment.selectors[0]?.kind === 'index'),
  );
  return { ok: true, path: { segments, direct } };
}

/**
 * Why a path cannot be saved, as shown beside its field and in the API's 400; null when it can.
 * The message names the path, so it reads on its own in a list of errors.
 */
export function jsonPathError(text: string): string | null {
  const parsed = parseJsonPath(text);
  if (parsed.ok) return null;
  const prefix = parsed.problem.kind === 'invalid' ? 'invalid JSONPath' : 'JSONPath refused';
  return `${prefix} ${JSON.stringify(text)}: ${parsed.problem.reason}`;
}
