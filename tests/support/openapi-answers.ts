import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

interface Operation {
  responses: Record<string, Json>;
}

export interface OpenApiLike {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; responses: Record<string, Json> };
}

const DOCUMENT_ID = 'https://herald.test/openapi.json';

/**
 * Checks real answers against the OpenAPI document they are documented in: the operation's
 * response for the status (a `$ref` to components.responses followed), its media type against
 * the answer's Content-Type, its schema with Ajv's JSON Schema 2020-12 (OpenAPI 3.1's dialect).
 */
export class AnswerChecker {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiLike) {
    // Not strict: the document's other members (openapi, paths…) are no JSON Schema keywords.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: document.components.schemas } });
  }

  /** The documented response, or an error naming what is missing. */
  private response(method: string, path: string, status: number): Json {
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${path} is not documented`);
    let response = operation.responses[String(status)];
    if (!response) throw new Error(`${method} ${path} does not document ${status}`);
    const ref = response.$ref;
    if (typeof ref === 'string') response = this.document.components.responses[ref.split('/').pop() ?? ''] ?? {};
    return response;
  }

  /** The problems of one answer ([] when it is as documented). */
  problems(method: string, path: string, answer: { status: number; contentType: string | null; body: string }) {
    const response = this.response(method, path, answer.status);
    const content = response.content as Record<string, { schema: Json }> | undefined;
    if (!content) return answer.body === '' ? [] : [`${answer.status} documents no body, got ${answer.body}`];
    const mediaType = (answer.contentType ?? '').split(';')[0]?.trim() ?? '';
    const documented = content[mediaType];
    if (!documented) return [`${answer.status} is documented as ${Object.keys(content).join(', ')}, got ${mediaType}`];
    const validate = this.validator(documented.schema);
    if (validate(JSON.parse(answer.body))) return [];
    return (validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`,
    );
  }

  private validator(schema: Json): ValidateFunction {
    const ref = typeof schema.$ref === 'string' ? `${DOCUMENT_ID}${schema.$ref}` : undefined;
    const key = ref ?? JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = ref ? this.ajv.getSchema(ref) : this.ajv.compile(schema);
      if (!validate) throw new Error(`no schema at ${key}`);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}
