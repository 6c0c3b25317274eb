import type { TokenGrant } from '../auth/access-tokens';
import type { Scope } from '../auth/scopes';
import { NotFoundError } from '../errors';
import type { ApiAnswer, ApiRequest } from './api-request';
import { HttpError } from './http';
import type { Links } from './links';
import type { RouteDoc } from './route-doc';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

type Segments<P extends string> = P extends `${infer Head}/${infer Tail}` ? Head | Segments<Tail> : P;
type ParamName<S extends string> = S extends `:${infer Name}` ? Name : never;

/** `{ hubId: string; id: string }` for `/hubs/:hubId/webhooks/:id`. */
export type PathParams<P extends string> = { readonly [K in ParamName<Segments<P>>]: string };

export interface ApiContext<P extends string = string> {
  request: ApiRequest;
  /** Parsed on first use (ingestion never needs it). */
  readonly url: URL;
  params: PathParams<P>;
  /** Built on first use, from the origin the client reached. */
  readonly links: Links;
  clientId: string;
  /** What the bearer token grants: its scopes and the hubs it may reach. */
  grant: TokenGrant;
  /** The body, read under the route's limit once the request was authorized; empty for a route that takes none. */
  body: Buffer;
  /** The Idempotency-Key header, checked, for a route that honours one. */
  idempotencyKey: string | undefined;
}

/** Everything a handler gets except the path parameters, which the route itself extracts. */
export type RequestContext = Omit<ApiContext, 'params'>;

export interface RouteOptions {
  /** The scope a token needs here; null when any valid token will do. */
  scope: Scope | null;
  /** The largest body the route reads; without it the route takes no body and none is read. */
  bodyLimitBytes?: number;
  /** The route honours an Idempotency-Key header, checked before the body is read. */
  idempotencyKey?: boolean;
  /** Its entry in the OpenAPI document: a route cannot be declared without one. */
  doc: RouteDoc;
}

interface RouteBase {
  method: HttpMethod;
  /** `/v2/content/hubs/:hubId`: the path parameters named after a colon. */
  pattern: string;
  /** Matches a path; its groups are the path parameters, in pattern order. */
  regex: RegExp;
  doc: RouteDoc;
}

/**
 * A route answered without a bearer token: the token endpoint (its credentials are its body) and
 * the OpenAPI document (it holds no data). It gets the request as it came and reads what it needs.
 */
export interface PublicRoute extends RouteBase {
  access: 'public';
  answer(request: ApiRequest): Promise<ApiAnswer>;
}

export type Route = BearerRoute | PublicRoute;

export interface BearerRoute extends RouteBase {
  access: 'bearer';
  scope: Scope | null;
  bodyLimitBytes: number | null;
  idempotencyKey: boolean;
  /**
   * The route's own checks, before anything is read from the body: the scope, the path
   * parameters (a `:hubId` the token may not reach answers 404). Returns the parameters.
   */
  authorize(grant: TokenGrant, match: RegExpExecArray): Readonly<Record<string, string>>;
  handle(context: ApiContext): Promise<ApiAnswer>;
}

/** 403 in the API's error shape, naming the scope the token lacks. */
export function requireScope(grant: TokenGrant, scope: Scope | null): void {
  if (scope !== null && !grant.scopes.has(scope)) {
    throw new HttpError(403, 'INSUFFICIENT_SCOPE', `this token lacks the scope ${scope}`);
  }
}

/** A hub outside the client's hubs is answered as if it did not exist. */
export function requireHubAccess(grant: TokenGrant, hubId: string): void {
  if (grant.hubIds !== null && !grant.hubIds.has(hubId)) throw new NotFoundError('Hub', hubId);
}

/**
 * A route whose handler gets its path parameters typed from the pattern. The names are read from
 * the same pattern at run time, so the object built here has exactly the keys the type promises.
 * Every route names the scope it needs; a `:hubId` in the pattern is checked against the hubs the
 * token may reach before the body is read. Both checks read the token only: no database.
 */
export function route<P extends string>(
  method: HttpMethod,
  pattern: P,
  options: RouteOptions,
  handler: (context: ApiContext<P>) => Promise<ApiAnswer>,
): BearerRoute {
  const names: string[] = [];
  const regex = patternRegex(pattern, names);
  return {
    access: 'bearer',
    method,
    pattern,
    doc: options.doc,
    scope: options.scope,
    bodyLimitBytes: options.bodyLimitBytes ?? null,
    idempotencyKey: options.idempotencyKey ?? false,
    regex,
    authorize: (grant, match) => {
      requireScope(grant, options.scope);
      const params = Object.fromEntries(names.map((name, index) => [name, decodeSegment(name, match[index + 1])]));
      if (typeof params.hubId === 'string') requireHubAccess(grant, params.hubId);
      return params;
    },
    // The one place a runtime object meets the pattern's type: the params come from `names`, read from `pattern`.
    handle: (context) => handler(context as ApiContext<P>),
  };
}

/** A route without a bearer token (see PublicRoute); its pattern has no parameters. */
export function publicRoute(
  method: HttpMethod,
  pattern: string,
  doc: RouteDoc,
  answer: (request: ApiRequest) => Promise<ApiAnswer>,
): PublicRoute {
  return { access: 'public', method, pattern, regex: patternRegex(pattern, []), doc, answer };
}

/** The pattern as a regular expression (a trailing slash allowed); the parameters' names are pushed to `names`. */
function patternRegex(pattern: string, names: string[]): RegExp {
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

function decodeSegment(name: string, raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', `the ${name} in the path has a malformed %-escape`, name);
  }
}
