import { z } from 'zod';
import { REPLACEABLE_STANDARD_HEADERS, STANDARD_HEADERS } from './standard-headers';

/** Headers the HTTP client owns; setting them would corrupt the request. */
const TRANSPORT_HEADERS = [
  'host',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
];

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * What a header value may hold so that it reaches the receiver as typed: tab, space and the
 * visible characters of Latin-1 (RFC 9110 field-vchar; HTTP/1.1 carries one byte per character,
 * so `€` or any character past U+00FF cannot be sent). Control characters, CR, LF and NUL would
 * end or corrupt the header.
 */
const INVALID_VALUE_CHARACTER = /[^\t\x20-\x7e\xa0-\xff]/u;

export const MAX_HEADERS = 20;

function describeCharacter(character: string): string {
  const code = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (character === '\r' || character === '\n') return `a line break (${code})`;
  return /\p{Cc}/u.test(character) ? `a control character (${code})` : `"${character}" (${code})`;
}

/** Why a header value cannot be sent, naming the header; null when it can. */
export function headerValueProblem(key: string, value: string): string | null {
  const bad = INVALID_VALUE_CHARACTER.exec(value);
  if (!bad) return null;
  const position = [...value.slice(0, bad.index)].length + 1;
  return (
    `the value of ${key} holds ${describeCharacter(bad[0])} at position ${position}: ` +
    'header values may only hold tabs, spaces and visible Latin-1 characters'
  );
}

export const ZHeaderInput = z
  .object({
    key: z.string().trim().min(1, 'header name is required').max(256, 'header name may be at most 256 characters'),
    // `null` on a secret header means "keep the value already stored".
    value: z.string().max(8192, 'header value may be at most 8 KB').nullable().optional(),
    secret: z.boolean().nullable().optional(),
  })
  .superRefine((header, ctx) => {
    if (!HEADER_NAME.test(header.key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key'],
        message: `header name "${header.key}" may hold only letters, digits and !#$%&'*+-.^_\`|~`,
      });
      return;
    }
    const lower = header.key.toLowerCase();
    if (STANDARD_HEADERS.includes(lower) && !REPLACEABLE_STANDARD_HEADERS.has(lower)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: `${header.key} is a standard header set by Herald` });
    }
    if (TRANSPORT_HEADERS.includes(lower)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: `${header.key} is managed by the HTTP client` });
    }
    if (header.value === null || header.value === undefined) {
      if (!header.secret) ctx.addIssue({ code: 'custom', path: ['value'], message: `${header.key} needs a value` });
      return;
    }
    const problem = headerValueProblem(header.key, header.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

export type THeaderInput = z.infer<typeof ZHeaderInput>;

export const ZHeaderList = z
  .array(ZHeaderInput)
  .max(MAX_HEADERS, `at most ${MAX_HEADERS} headers`)
  .superRefine((headers, ctx) => {
    const seen = new Set<string>();
    headers.forEach((header, index) => {
      const lower = header.key.toLowerCase();
      if (seen.has(lower))
        ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `${header.key} appears twice` });
      seen.add(lower);
    });
  });

export function basicAuthHeaderValue(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
