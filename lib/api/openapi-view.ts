import type { OpenApiDocument } from './openapi';

/**
 * The OpenAPI document as the admin's API page shows it: operations grouped by tag in the
 * document's order, each response's `$ref` to components.responses followed. Schemas stay JSON
 * Schema; SchemaView (components/api-docs) resolves their `$ref`s with `schemaNamed`.
 */

export type JsonSchema = { [key: string]: unknown };

export interface ParameterView {
  name: string;
  in: string;
  required: boolean;
  description: string | null;
  schema: JsonSchema;
}

export interface ResponseView {
  status: string;
  description: string;
  /** The media type and its schema; null for an answer without a body (204). */
  body: { contentType: string; schema: JsonSchema } | null;
}

export interface OperationView {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string | null;
  /** The scope the token needs; null for any token, or none at all (`public`). */
  scope: string | null;
  public: boolean;
  parameters: ParameterView[];
  requestBody: { contentTypes: string[]; schema: JsonSchema } | null;
  responses: ResponseView[];
}

export interface TagView {
  name: string;
  description: string;
  operations: OperationView[];
}

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

const objectAt = (value: unknown, key: string): JsonSchema => {
  const found = isObject(value) ? value[key] : undefined;
  return isObject(found) ? found : {};
};

/** The name a `#/components/schemas/Name` reference points to, or null for any other schema. */
export function refName(schema: JsonSchema): string | null {
  const ref = text(schema.$ref);
  return ref?.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : null;
}

/** components.schemas[name]; {} when the document has no such schema. */
export function schemaNamed(document: OpenApiDocument, name: string): JsonSchema {
  return objectAt(objectAt(document.components, 'schemas'), name);
}

function firstContent(content: unknown): { contentType: string; schema: JsonSchema } | null {
  if (!isObject(content)) return null;
  const [entry] = Object.entries(content);
  if (!entry) return null;
  return { contentType: entry[0], schema: objectAt(entry[1], 'schema') };
}

function responseView(document: OpenApiDocument, status: string, value: unknown): ResponseView {
  let response = isObject(value) ? value : {};
  const ref = text(response.$ref);
  if (ref?.startsWith('#/components/responses/')) {
    response = objectAt(objectAt(document.components, 'responses'), ref.slice('#/components/responses/'.length));
  }
  return { status, description: text(response.description) ?? '', body: firstContent(response.content) };
}

function operationView(document: OpenApiDocument, method: string, path: string, operation: JsonSchema): OperationView {
  const security = Array.isArray(operation.security) ? operation.security : [];
  const requestContent = objectAt(operation.requestBody, 'content');
  const firstRequest = firstContent(requestContent);
  return {
    id: text(operation.operationId) ?? `${method}-${path}`,
    method: method.toUpperCase(),
    path,
    summary: text(operation.summary) ?? '',
    description: text(operation.description),
    scope: text(operation['x-required-scope']),
    public: security.length === 0,
    parameters: (Array.isArray(operation.parameters) ? operation.parameters : []).filter(isObject).map((parameter) => ({
      name: text(parameter.name) ?? '',
      in: text(parameter.in) ?? '',
      required: parameter.required === true,
      description: text(parameter.description),
      schema: objectAt(parameter, 'schema'),
    })),
    requestBody: firstRequest ? { contentTypes: Object.keys(requestContent), schema: firstRequest.schema } : null,
    responses: Object.entries(objectAt(operation, 'responses')).map(([status, value]) =>
      responseView(document, status, value),
    ),
  };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The operations by tag, tags in the document's order (an untagged operation goes under "Other"). */
export function operationsByTag(document: OpenApiDocument): TagView[] {
  const tags = new Map<string, TagView>();
  for (const tag of Array.isArray(document.tags) ? document.tags.filter(isObject) : []) {
    const name = text(tag.name);
    if (name) tags.set(name, { name, description: text(tag.description) ?? '', operations: [] });
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const tagName = (Array.isArray(operation.tags) ? text(operation.tags[0]) : null) ?? 'Other';
      let tag = tags.get(tagName);
      if (!tag) {
        tag = { name: tagName, description: '', operations: [] };
        tags.set(tagName, tag);
      }
      tag.operations.push(operationView(document, method, path, operation));
    }
  }
  return [...tags.values()].filter((tag) => tag.operations.length > 0);
}
