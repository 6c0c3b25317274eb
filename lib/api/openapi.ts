import { z } from 'zod';
import { SCOPE_DESCRIPTIONS } from '../auth/scopes';
import { HERALD_VERSION } from '../version';
import { HAL_JSON } from './http';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-header';
import { ERROR_RESPONSES, errorResponses } from './openapi-errors';
import { API_TAGS, type RouteDoc, type WireBody } from './route-doc';
import type { Route } from './route-types';
import { ZApiError, ZOAuthError } from './wire-common';

/**
 * The OpenAPI 3.1 document of the HTTP API (`GET /v2/openapi.json`), generated from the route table
 * itself: each route's pattern, scope, body limit and Idempotency-Key, and its doc (lib/api/
 * route-doc.ts) with the zod schemas it validates with and answers in. Schemas are JSON Schema
 * 2020-12 (OpenAPI 3.1's dialect), request bodies as the client may send them (zod's input side:
 * defaults optional), answers as Herald sends them (the output side: no other properties).
 */

type Json = Record<string, unknown>;
export type OpenApiDocument = Json & { openapi: string; paths: Record<string, Record<string, Json>> };

export const OPENAPI_PATH = '/v2/openapi.json';
export const TOKEN_PATH = '/oauth/token';

const PARAMETER_DESCRIPTIONS: Record<string, string> = {
  hubId: "The hub's id (GET /v2/content/hubs lists those the token may reach)",
  id: 'The resource’s id',
  requestId: "The delivery's id",
};

/** `/hubs/:hubId` → `/hubs/{hubId}`. */
export const openApiPath = (pattern: string) => pattern.replace(/\/:([A-Za-z]+)/g, '/{$1}');

const pathParamNames = (pattern: string) => [...pattern.matchAll(/\/:([A-Za-z]+)/g)].map((match) => match[1] ?? '');

/** zod's JSON Schema without what a component or parameter schema must not carry, nor the safe-integer bounds of `.int()`. */
function tidy(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

const override: NonNullable<Parameters<typeof z.toJSONSchema>[1]>['override'] = ({ jsonSchema }) => {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
};

/** Named schemas, each converted once, on the side (input or output) it is used. */
class SchemaComponents {
  private readonly input = z.registry<{ id: string }>();
  private readonly output = z.registry<{ id: string }>();
  private readonly byName = new Map<string, z.ZodType>();

  ref(name: string, schema: z.ZodType, side: 'input' | 'output'): Json {
    const known = this.byName.get(name);
    if (known && known !== schema) throw new Error(`two schemas are named ${name} in the OpenAPI document`);
    if (!known) {
      this.byName.set(name, schema);
      (side === 'input' ? this.input : this.output).add(schema, { id: name });
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  toJson(): Record<string, Json> {
    const uri = (id: string) => `#/components/schemas/${id}`;
    const schemas: Record<string, Json> = {};
    for (const [io, registry] of [
      ['input', this.input],
      ['output', this.output],
    ] as const) {
      const converted = z.toJSONSchema(registry, { io, target: 'draft-2020-12', uri, override });
      for (const [name, schema] of Object.entries(converted.schemas)) schemas[name] = tidy(schema as Json);
    }
    return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  }
}

function parameters(route: Route): Json[] {
  const path = pathParamNames(route.pattern).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: PARAMETER_DESCRIPTIONS[name],
    schema: { type: 'string' },
  }));
  const query: Json[] = [];
  if (route.doc.query) {
    const schema = z.toJSONSchema(route.doc.query, { io: 'input', target: 'draft-2020-12', override }) as Json;
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((schema.properties as Record<string, Json> | undefined) ?? {})) {
      const { description, ...rest } = property;
      query.push({ name, in: 'query', required: required.has(name), description, schema: rest });
    }
  }
  const headers =
    route.access === 'bearer' && route.idempotencyKey
      ? [
          {
            name: IDEMPOTENCY_KEY_HEADER,
            in: 'header',
            required: false,
            description:
              'Send the same request again with the same key (and body) to get the first answer back, creating nothing (kept 24 h)',
            schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
          },
        ]
      : [];
  return [...path, ...query, ...headers];
}

function security(route: Route): Json[] {
  if (route.access === 'public') return [];
  const scopes = route.scope === null ? [] : [route.scope];
  return [{ OAuth2: scopes }, { BearerAuth: scopes }];
}

function requestBody(body: NonNullable<RouteDoc['body']>, components: SchemaComponents): Json {
  const schema = components.ref(body.name, body.schema, 'input');
  const types = body.contentTypes ?? ['application/json'];
  return { required: true, content: Object.fromEntries(types.map((type) => [type, { schema }])) };
}

/** A documented answer: its description, and its body's media type and schema. */
function answerObject(answer: { description: string; body?: WireBody }, components: SchemaComponents): Json {
  const { body } = answer;
  if (!body) return { description: answer.description };
  const schema = components.ref(body.name, body.schema, 'output');
  return { description: answer.description, content: { [body.hal ? HAL_JSON : 'application/json']: { schema } } };
}

function operation(route: Route, components: SchemaComponents): Json {
  const { doc } = route;
  const { success } = doc;
  const scope = route.access === 'bearer' ? route.scope : null;
  return {
    operationId: doc.operationId,
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(scope ? { 'x-required-scope': scope } : {}),
    security: security(route),
    parameters: parameters(route),
    ...(doc.body ? { requestBody: requestBody(doc.body, components) } : {}),
    responses: {
      [String(success.status)]: answerObject(success, components),
      ...errorResponses(route),
      ...Object.fromEntries(
        (doc.otherAnswers ?? []).map((answer) => [String(answer.status), answerObject(answer, components)]),
      ),
    },
  };
}

/** Everything but what depends on where the document is served from. */
interface DocumentBody {
  paths: Record<string, Record<string, Json>>;
  schemas: Record<string, Json>;
}

const bodies = new WeakMap<readonly Route[], DocumentBody>();

function build(routes: readonly Route[]): DocumentBody {
  const components = new SchemaComponents();
  components.ref('Error', ZApiError, 'output');
  components.ref('OAuthError', ZOAuthError, 'output');
  const paths: Record<string, Record<string, Json>> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    if (operationIds.has(route.doc.operationId)) throw new Error(`operationId ${route.doc.operationId} is used twice`);
    operationIds.add(route.doc.operationId);
    const path = openApiPath(route.pattern);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route, components) };
  }
  return { paths, schemas: components.toJson() };
}

/**
 * The document for the routes, served from `origin` (the server clients reached, so a generated
 * client's base URL and the token URL are right behind a proxy). Converted once per route table.
 */
export function openApiDocument(routes: readonly Route[], origin: string): OpenApiDocument {
  let body = bodies.get(routes);
  if (!body) {
    body = build(routes);
    bodies.set(routes, body);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Herald API',
      version: HERALD_VERSION,
      description:
        'Webhooks, event ingestion and their activity log, in the Management API’s wire format. ' +
        `Get a bearer token from POST ${TOKEN_PATH} with an API client's credentials (Settings → API clients).`,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: origin }],
    tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
    paths: body.paths,
    components: {
      schemas: body.schemas,
      responses: ERROR_RESPONSES,
      securitySchemes: {
        OAuth2: {
          type: 'oauth2',
          description: 'Client credentials of an API client; each operation names the scope it needs',
          flows: { clientCredentials: { tokenUrl: `${origin}${TOKEN_PATH}`, scopes: SCOPE_DESCRIPTIONS } },
        },
        BearerAuth: { type: 'http', scheme: 'bearer', description: `A token from POST ${TOKEN_PATH}` },
      },
    },
  };
}
