import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { UserView } from '../auth/users';
import { DomainError, type FieldError, ValidationError } from '../errors';
import { ensureDefaultHub, type Hub } from '../hubs/hubs';
import { logger } from '../logger';
import { requireUser } from './session';

export type ActionResult<T> = { ok: true; data: T } | { ok: false; message: string; fieldErrors: FieldError[] };

export interface AdminContext {
  user: UserView;
  hub: Hub;
}

/** The hub the admin UI manages: the default hub every install has. */
export async function adminHub(): Promise<Hub> {
  return ensureDefaultHub();
}

/** Signed-in user and hub, for server components. Redirects to /login without a session. */
export async function adminContext(): Promise<AdminContext> {
  const user = await requireUser();
  return { user, hub: await adminHub() };
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
 * A server action of the admin: checks the session, validates the input with zod, scopes the work
 * to the admin hub and turns errors into `{ ok: false, message, fieldErrors }`.
 */
export function adminAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  handler: (input: z.output<S>, context: AdminContext) => Promise<T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => {
    const user = await requireUser();
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      return toFailure(ValidationError.fromZod(parsed.error), name);
    }
    try {
      const hub = await adminHub();
      return { ok: true, data: await handler(parsed.data, { user, hub }) };
    } catch (error) {
      return toFailure(error, name);
    }
  };
}
