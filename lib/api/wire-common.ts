import { z } from 'zod';

/**
 * The shapes every answer shares, as zod schemas: the OpenAPI document (lib/api/openapi.ts) is
 * generated from them, the tests validate real answers against that document, and the builders
 * in lib/api/resources.ts are typed by them, so an answer cannot drift from what is documented.
 */

export const ZLink = z.object({
  href: z.string().describe('An absolute URL'),
  templated: z.boolean().optional().describe('The href is an RFC 6570 URI template'),
});

export const ZSelfLinks = z.object({ self: ZLink });

/** A cursor-paged list's links: `next` only while there are more. */
export const ZCursorLinks = z.object({ self: ZLink, next: ZLink.optional() });

export const ZCursor = z.object({
  next: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null on the last page'),
});

export const ZPageInfo = z.object({
  size: z.number().int(),
  totalElements: z.number().int(),
  totalPages: z.number().int(),
  number: z.number().int().describe('This page, from 0'),
});

/** lib/api/http.ts's error entries. */
export const ZApiError = z
  .object({
    errors: z
      .array(
        z.object({
          level: z.literal('ERROR'),
          code: z.string().describe('VALIDATION_ERROR, NOT_FOUND, UNAUTHORIZED, INSUFFICIENT_SCOPE, …'),
          property: z.string().optional().describe('The field (dotted path) or header the error is about'),
          message: z.string(),
        }),
      )
      .min(1),
  })
  .describe("Every failure of the API's own routes: one entry per problem, the field named where there is one");

/** RFC 6749 §5.2, what OAuth clients read from the token endpoint. */
export const ZOAuthError = z.object({
  error: z.enum(['invalid_request', 'invalid_client', 'invalid_scope', 'unsupported_grant_type']),
  error_description: z.string(),
});

export const ZTokenAnswer = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  expires_in: z.number().int().describe('Seconds until the token expires'),
  scope: z.string().describe('The scopes the token holds, separated by spaces'),
});

export const ZHealth = z.object({
  status: z.enum(['ok', 'unavailable']),
  version: z.string(),
  database: z.enum(['ok', 'unreachable']),
});

/** The document itself, described no further than OpenAPI's own schema does it. */
export const ZOpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }) })
  .describe('An OpenAPI 3.1 document');
