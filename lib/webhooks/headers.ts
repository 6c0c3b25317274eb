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

export const MAX_HEADERS = 20;

export const ZHeaderInput = z
  .object({
    key: z
      .string()
      .trim()
      .min(1, 'header name is required')
      .max(256, 'header name may be at most 256 characters')
      .regex(HEADER_NAME, "header name may hold only letters, digits and !#$%&'*+-.^_`|~"),
    // `null` on a secret header means "keep the value already stored".
    value: z
      .string()
      .max(8192, 'header value may be at most 8 KB')
      .refine((value) => !/[\r\n\0]/.test(value), 'header value may not contain line breaks')
      .nullable()
      .optional(),
    secret: z.boolean().nullable().optional(),
  })
  .superRefine((header, ctx) => {
    const lower = header.key.toLowerCase();
    if (STANDARD_HEADERS.includes(lower) && !REPLACEABLE_STANDARD_HEADERS.has(lower)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: `${header.key} is a standard header set by Herald` });
    }
    if (TRANSPORT_HEADERS.includes(lower)) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: `${header.key} is managed by the HTTP client` });
    }
    if (!header.secret && (header.value === null || header.value === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a header needs a value' });
    }
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
