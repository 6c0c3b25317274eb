import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiPath } from '../../lib/api/openapi';
import { operationsByTag, schemaNamed } from '../../lib/api/openapi-view';
import { ROUTES } from '../../lib/api/routes';

/** The document as built from the route table, and the API page's view of it; no database needed. */

const document = openApiDocument(ROUTES, 'https://herald.example');

describe('openApiDocument', () => {
  it('names the server and token URL it is served from, and converts `:param` paths', () => {
    expect(document.servers).toEqual([{ url: 'https://herald.example' }]);
    expect(JSON.stringify(document.components)).toContain('"tokenUrl":"https://herald.example/oauth/token"');
    expect(openApiPath('/v2/content/hubs/:hubId/webhooks/:id/requests/:requestId')).toBe(
      '/v2/content/hubs/{hubId}/webhooks/{id}/requests/{requestId}',
    );
    expect(openApiPath('/v2/content/hubs/:hubId/events:batch')).toBe('/v2/content/hubs/{hubId}/events:batch');
  });

  it('documents a request body for every route that reads one, and the Idempotency-Key where honoured', () => {
    for (const route of ROUTES) {
      const operation = document.paths[openApiPath(route.pattern)]?.[route.method.toLowerCase()] as {
        requestBody?: unknown;
        parameters: { name: string }[];
      };
      if (route.access === 'public') continue;
      expect(operation.requestBody !== undefined, route.pattern).toBe(route.bodyLimitBytes !== null);
      expect(operation.parameters.some((parameter) => parameter.name === 'Idempotency-Key')).toBe(route.idempotencyKey);
    }
  });

  it('writes request schemas as a client sends them (defaults optional) and answers as Herald sends them (closed)', () => {
    expect(schemaNamed(document, 'WebhookInput').required).toEqual(['label', 'events', 'handlers']);
    expect(schemaNamed(document, 'Webhook').additionalProperties).toBe(false);
    expect(JSON.stringify(schemaNamed(document, 'WebhookPage'))).toContain('"$ref":"#/components/schemas/Webhook"');
    // zod's safe-integer bounds on .int() are noise for a reader: left out.
    expect(JSON.stringify(document)).not.toContain('9007199254740991');
  });

  it('declares OAuth2 client credentials with every scope, and each bearer operation names its scope', () => {
    const components = document.components as { securitySchemes: Record<string, unknown> };
    expect(components.securitySchemes.OAuth2).toMatchObject({
      type: 'oauth2',
      flows: {
        clientCredentials: {
          tokenUrl: 'https://herald.example/oauth/token',
          scopes: {
            'events:write': expect.any(String),
            'webhooks:read': expect.any(String),
            'webhooks:write': expect.any(String),
            'content:read': expect.any(String),
          },
        },
      },
    });
    for (const route of ROUTES) {
      const operation = document.paths[openApiPath(route.pattern)]?.[route.method.toLowerCase()] as unknown as {
        security: Record<string, string[]>[];
      };
      if (route.access === 'public') expect(operation.security).toEqual([]);
      else expect(operation.security[0]?.OAuth2).toEqual(route.scope === null ? [] : [route.scope]);
    }
  });
});

describe('operationsByTag', () => {
  it('groups every operation under its tag, in the order of the document, references to shared responses followed', () => {
    const tags = operationsByTag(document);
    expect(tags.map((tag) => tag.name)).toEqual([
      'Hubs',
      'Webhooks',
      'Requests',
      'Events',
      'Audit log',
      'Content',
      'OAuth',
      'Meta',
    ]);
    expect(tags.flatMap((tag) => tag.operations)).toHaveLength(ROUTES.length);
    const create = tags.flatMap((tag) => tag.operations).find((operation) => operation.id === 'createWebhook');
    expect(create).toMatchObject({
      method: 'POST',
      path: '/v2/content/hubs/{hubId}/webhooks',
      scope: 'webhooks:write',
      public: false,
      requestBody: { contentTypes: ['application/json'], schema: { $ref: '#/components/schemas/WebhookInput' } },
    });
    const unauthorized = create?.responses.find((response) => response.status === '401');
    expect(unauthorized?.description).toContain('bearer token');
    expect(unauthorized?.body?.schema).toEqual({ $ref: '#/components/schemas/Error' });
    const token = tags.find((tag) => tag.name === 'OAuth')?.operations[0];
    expect(token).toMatchObject({ public: true, scope: null });
  });
});
