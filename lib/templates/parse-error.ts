import Handlebars from 'handlebars';
import { errorMessage } from '../errors';

/** A template error worded for the person who wrote the template, with its 1-based position. */
export interface TemplatePositionError {
  message: string;
  line?: number;
  column?: number;
}

/** The jison lexer shared by every Handlebars.parse call; after a failed parse it still holds the
 * offending token's position (parsing is synchronous, so nothing can move it in between). */
interface LexerState {
  yylloc?: { first_line?: number; first_column?: number; last_line?: number; last_column?: number };
  match?: string;
}

function lexerState(): LexerState | undefined {
  const parser = (Handlebars as unknown as { Parser?: { lexer?: LexerState } }).Parser;
  return parser?.lexer;
}

const TOKEN_WORDS: Record<string, string> = {
  CLOSE: "'}}'",
  CLOSE_UNESCAPED: "'}}}'",
  CLOSE_RAW_BLOCK: "'}}}}'",
  OPEN_SEXPR: "'('",
  CLOSE_SEXPR: "')'",
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  BOOLEAN: 'true or false',
  DATA: 'an @variable',
  SEP: "'.'",
  EQUALS: "'='",
  OPEN_BLOCK_PARAMS: "'as |'",
  CLOSE_BLOCK_PARAMS: "'|'",
  INVERSE: "'{{else}}'",
  OPEN_INVERSE_CHAIN: "'{{else …}}'",
  OPEN_ENDBLOCK: "a closing '{{/…}}'",
  EOF: 'the end of the template',
  CONTENT: 'text',
  COMMENT: 'a comment',
  OPEN: "'{{'",
  OPEN_BLOCK: "'{{#'",
  OPEN_RAW_BLOCK: "'{{{{'",
  OPEN_UNESCAPED: "'{{{'",
  INVALID: 'an unexpected character',
};

function describeTokens(tokens: string[]): string {
  // When a mustache may be closed here, that is nearly always what is missing.
  if (tokens.includes('CLOSE')) return "'}}'";
  if (tokens.includes('CLOSE_UNESCAPED')) return "'}}}'";
  const words = [...new Set(tokens.map((token) => TOKEN_WORDS[token] ?? token.toLowerCase()))];
  if (words.length <= 3) return words.join(' or ');
  return `${words.slice(0, 3).join(', ')} or another token`;
}

function at(line: number | undefined, column: number | undefined, text: string): TemplatePositionError {
  if (line === undefined) return { message: text };
  if (column === undefined) return { message: `Line ${line}: ${text}`, line };
  return { message: `Line ${line}, column ${column}: ${text}`, line, column };
}

/**
 * The lexer reports a name cut off by the end of the template (`{{foo bar`) as an invalid
 * character; say what really happened: the template ended before the mustache was closed.
 */
function endsUnclosed(token: string, source: string, line: number, column: number | undefined): boolean {
  if (token === 'EOF') return true;
  if (token !== 'INVALID' || column === undefined) return false;
  const lines = source.split('\n');
  const rest = [lines[line - 1]?.slice(column - 1) ?? '', ...lines.slice(line)].join('\n');
  return /^[^\s{}()"'=|]+\s*$/.test(rest);
}

/** Turns whatever Handlebars.parse threw into a sentence naming the line and column. */
export function describeParseError(error: unknown, source: string): TemplatePositionError {
  const raw = errorMessage(error);
  const lexer = lexerState();

  const parseError = /^Parse error on line (\d+):[\s\S]*Expecting ([\s\S]*), got '([^']*)'$/.exec(raw);
  if (parseError) {
    const loc = lexer?.yylloc;
    const expected = [...(parseError[2] ?? '').matchAll(/'([^']+)'/g)].map((match) => match[1] ?? '');
    const token = parseError[3] ?? '';
    const line = loc?.first_line ?? Number(parseError[1]);
    const column = loc?.first_column === undefined ? undefined : loc.first_column + 1;
    const unclosed = endsUnclosed(token, source, line, column);
    if (unclosed && expected.includes('OPEN_ENDBLOCK')) {
      return at(line, column, "a block is never closed: expected a closing '{{/…}}' before the end of the template");
    }
    if (token === 'OPEN_ENDBLOCK' && !expected.includes('OPEN_ENDBLOCK')) {
      return at(line, column, "'{{/…}}' closes a block that was never opened");
    }
    if (unclosed && token === 'INVALID') {
      // A name cut off by the end of the template: the mustache around it was never closed.
      return at(line, column, "expected '}}' but found the end of the template");
    }
    const found = unclosed ? TOKEN_WORDS.EOF : `'${lexer?.match ?? token}'`;
    // JSON templates often end an object right after a mustache: `{"n":{{x}}}` reads as `{{x}}}`.
    const hint = found === "'}}}'" ? " (add a space before a '}' that follows '}}')" : '';
    return at(line, column, `expected ${describeTokens(expected)} but found ${found}${hint}`);
  }

  const lexical = /^Lexical error on line (\d+)/.exec(raw);
  if (lexical) {
    // The unrecognised text starts where the last recognised token ended.
    const loc = lexer?.yylloc;
    const line = loc?.last_line ?? Number(lexical[1]);
    const column = loc?.last_column === undefined ? undefined : loc.last_column + 1;
    return at(line, column, 'this text is not valid handlebars');
  }

  const located = error as { lineNumber?: unknown; column?: unknown };
  const text = raw.replace(/ - \d+:\d+$/, '');
  const mismatch = /^(\S+) doesn't match (\S+)$/.exec(text);
  const sentence = mismatch ? `{{#${mismatch[1]}}} is closed by {{/${mismatch[2]}}}` : text;
  return at(
    typeof located.lineNumber === 'number' ? located.lineNumber : undefined,
    typeof located.column === 'number' ? located.column + 1 : undefined,
    sentence,
  );
}
