import type { z } from 'zod';

/** The groups the OpenAPI document and the admin's API page list operations under, in this order. */
export const API_TAGS = {
  Hubs: 'The hubs a token may reach: where every client starts',
  Webhooks: 'Webhooks of a hub: where and how Herald delivers its events',
  Requests: "A webhook's deliveries (its activity log): each attempt, redelivery and recovery",
  Events: 'Event ingestion: 202 once the events and their deliveries are committed',
  'Audit log': "Changes to a hub's configuration, newest first",
  Content: 'Content items as Herald has seen them in the hub’s events',
  OAuth: 'Bearer tokens for API clients (client credentials)',
  Meta: 'This document',
} as const;
export type ApiTag = keyof typeof API_TAGS;

export type RequestContentType = 'application/json' | 'application/x-www-form-urlencoded';

export type SuccessStatus = 200 | 201 | 202 | 204;

/** Failures a route adds to those the pipeline answers for every route (lib/api/openapi-errors.ts). */
export type RouteErrorStatus = 400 | 401 | 404 | 409 | 413 | 422;

/**
 * What a route says about itself in the OpenAPI document, declared beside its handler (lib/api/
 * route-types.ts makes it required), with the zod schemas the handler validates with or answers
 * in: the document is generated from the route table, so a route cannot go undocumented and a
 * documented schema is the one in use.
 */
export interface RouteDoc {
  /** Stable and unique: what a generated client names the method. */
  operationId: string;
  tag: ApiTag;
  summary: string;
  description?: string;
  /** The query parameters: the schema the handler parses the query with. */
  query?: z.ZodObject;
  /** The request body: the schema the handler (or what it calls) parses the body with. */
  body?: { schema: z.ZodType; name: string; contentTypes?: readonly RequestContentType[] };
  /** The answer when all goes well; no body for 204. */
  success: { status: SuccessStatus; description: string; body?: WireBody };
  /** This route's own failures, with when they happen, beyond the pipeline's. */
  errors?: Partial<Record<RouteErrorStatus, string>>;
  /** Other answers in a shape of the route's own (the health check's 503 is its usual body). */
  otherAnswers?: readonly { status: number; description: string; body: WireBody }[];
  /** The route answers failures in RFC 6749's `{ error, error_description }` (the token endpoint). */
  oauthErrors?: boolean;
}

/** A documented answer body: its schema and the name it has under components.schemas. */
export interface WireBody {
  name: string;
  schema: z.ZodType;
  /** HAL for the resources (`application/hal+json`), plain JSON otherwise. */
  hal?: boolean;
}
