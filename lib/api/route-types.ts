import { HttpError } from './http';
import type { Links } from './links';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

type Segments<P extends string> = P extends `${infer Head}/${infer Tail}` ? Head | Segments<Tail> : P;
type ParamName<S extends string> = S extends `:${infer Name}` ? Name : never;

/** `{ hubId: string; id: string }` for `/hubs/:hubId/webhooks/:id`. */
export type PathParams<P extends string> = { readonly [K in ParamName<Segments<P>>]: string };

export interface ApiContext<P extends string = string> {
  request: Request;
  url: URL;
  params: PathParams<P>;
  links: Links;
  clientId: string;
}

/** Everything a handler gets except the path parameters, which the route itself extracts. */
export type RequestContext = Omit<ApiContext, 'params'>;

export interface Route {
  method: HttpMethod;
  pattern: string;
  /** Matches a path; its groups are the path parameters, in pattern order. */
  regex: RegExp;
  handle(context: RequestContext, match: RegExpExecArray): Promise<Response>;
}

/**
 * A route whose handler gets its path parameters typed from the pattern. The names are read from
 * the same pattern at run time, so the object built here has exactly the keys the type promises.
 */
export function route<P extends string>(
  method: HttpMethod,
  pattern: P,
  handler: (context: ApiContext<P>) => Promise<Response>,
): Route {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return {
    method,
    pattern,
    regex: new RegExp(`^${source}/?$`),
    handle: (context, match) => {
      const params = Object.fromEntries(names.map((name, index) => [name, decodeSegment(name, match[index + 1])]));
      // The one place a runtime object meets the pattern's type: `names` come from `pattern`.
      return handler({ ...context, params: params as PathParams<P> });
    },
  };
}

function decodeSegment(name: string, raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', `the ${name} in the path has a malformed %-escape`, name);
  }
}
