import { notFound, unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { AuditContext } from '../audit/types';
import { can, type Permission } from '../auth/roles';
import type { UserView } from '../auth/users';
import { DomainError, type FieldError, ValidationError } from '../errors';
import { ensureDefaultHub, type Hub } from '../hubs/hubs';
import { logger } from '../logger';
import { clientAddress, requireUser } from './session';

export type ActionResult<T> = { ok: true; data: T } | { ok: false; message: string; fieldErrors: FieldError[] };

export interface AdminContext {
  user: UserView;
  hub: Hub;
  /** The signed-in user and their address, for the audit entries lib/ writes with each change. */
  audit: AuditContext;
}

export interface ActionOptions {
  /** What the signed-in user's role must allow; checked on the server before the handler runs. */
  permission: Permission;
}

export class PermissionDeniedError extends DomainError {
  override name = 'PermissionDeniedError';
  constructor(role: string, permission: Permission) {
    super(`Your role (${role}) does not allow this (${permission})`);
  }
}

/** The hub the admin UI manages: the default hub every install has. */
export async function adminHub(): Promise<Hub> {
  return ensureDefaultHub();
}

export async function auditContext(user: UserView): Promise<AuditContext> {
  return { actor: { type: 'user', id: user.id, label: user.email }, sourceIp: await clientAddress() };
}

/**
 * Signed-in user and hub, for server components. Redirects to /login without a session; with a
 * permission, a user whose role lacks it gets the not-found page (pages that show secrets or
 * write pass one).
 */
export async function adminContext(permission: Permission = 'read'): Promise<AdminContext> {
  const user = await requireUser();
  if (!can(user.role, permission)) notFound();
  return { user, hub: await adminHub(), audit: await auditContext(user) };
}

export function failure(
  message: string,
  fieldErrors: FieldError[] = [],
): { ok: false; message: string; fieldErrors: FieldError[] } {
  return { ok: false, message, fieldErrors };
}

/** Maps what a domain call threw to what the user may see; anything unexpected is logged, not shown. */
export function toFailure(error: unknown, action: string): { ok: false; message: string; fieldErrors: FieldError[] } {
  unstable_rethrow(error);
  if (error instanceof ValidationError) {
    return failure(
      error.fieldErrors.length === 1 && !error.fieldErrors[0]?.field
        ? (error.fieldErrors[0]?.message ?? 'Check the form')
        : 'Some fields need attention',
      error.fieldErrors,
    );
  }
  if (error instanceof DomainError) return failure(error.message);
  logger('admin').error(`${action} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return failure('Something went wrong. Try again, and check the server log if it keeps happening.');
}

/**
 * A server action of the admin: checks the session and that the user's role allows the declared
 * permission (before anything else runs), validates the input with zod, scopes the work to the
 * admin hub and turns errors into `{ ok: false, message, fieldErrors }`.
 */
export function adminAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  handler: (input: z.output<S>, context: AdminContext) => Promise<T>,
  options: ActionOptions,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const user = await requireUser();
    if (!can(user.role, options.permission)) {
      logger('admin').warn(`${name} refused: ${user.email} (${user.role}) lacks ${options.permission}`);
      return failure(new PermissionDeniedError(user.role, options.permission).message);
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return toFailure(ValidationError.fromZod(parsed.error), name);
    }
    try {
      const hub = await adminHub();
      return { ok: true, data: await handler(parsed.data, { user, hub, audit: await auditContext(user) }) };
    } catch (error) {
      return toFailure(error, name);
    }
  };
}
