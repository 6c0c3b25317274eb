/**
 * What an API client may do. A client holds the scopes it was created with; a token holds the
 * subset it asked for (OAuth's `scope` parameter), and every API route names the one it needs.
 * Free of zod and of the database, so the API client form can list them too: zod builds object
 * schemas with `new Function`, which the admin's CSP refuses in the browser.
 */
export const SCOPES = ['events:write', 'webhooks:read', 'webhooks:write', 'content:read'] as const;
export type Scope = (typeof SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'events:write': 'Send events (ingestion only)',
  'webhooks:read': 'List and read webhooks (without their signing secrets), their activity log and event types',
  'webhooks:write':
    'Create, change and delete webhooks, and see their signing secrets; redeliver and recover deliveries',
  'content:read': 'Read content items from the content delivery API',
};

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** Scopes in a fixed order, without repeats: how they are stored and shown. */
export function normalizeScopes(scopes: Iterable<Scope>): Scope[] {
  const chosen = new Set(scopes);
  return SCOPES.filter((scope) => chosen.has(scope));
}

/** OAuth's form: scopes separated by spaces (RFC 6749 §3.3). */
export function formatScopeParameter(scopes: readonly Scope[]): string {
  return scopes.join(' ');
}

/** The scopes a `scope` parameter names, or the unknown names it holds. */
export function parseScopeParameter(text: string): { scopes: Scope[] } | { unknown: string[] } {
  const names = text.split(/[\s,]+/).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !isScope(name));
  if (unknown.length > 0) return { unknown };
  return { scopes: normalizeScopes(names.filter(isScope)) };
}
