/** Who did something: a signed-in user, an API client, or Herald itself (the worker, the CLI). */
export interface AuditActor {
  type: 'user' | 'api-client' | 'system';
  id: string | null;
  /** What the log shows: the user's email, the client's name; copied so it outlives the actor. */
  label: string;
}

/** A field's change: old and new value, or just 'changed' for a secret (never its value). */
export type AuditChange = { from: unknown; to: unknown } | 'changed';
export type AuditChanges = Record<string, AuditChange>;

export interface AuditTarget {
  type: string;
  id: string;
  label?: string;
}

export interface AuditEntryInput {
  hubId: string | null;
  actor: AuditActor;
  /** `<noun>.<past participle>`, e.g. 'webhook.updated', 'user.sign-in-failed'. */
  action: string;
  target?: AuditTarget;
  changes?: AuditChanges;
  sourceIp?: string | null;
}

/**
 * Who is making a change and from where: passed by server actions and API routes into lib/
 * functions (as an optional last `context` parameter), which record the audit entry in the same
 * transaction as the change. Callers that pass none (scripts, tests) are recorded as 'system'.
 */
export interface AuditContext {
  actor: AuditActor;
  sourceIp: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, label: 'Herald' };

export const SYSTEM_CONTEXT: AuditContext = { actor: SYSTEM_ACTOR, sourceIp: null };
