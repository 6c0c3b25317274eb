import { notFound, unstable_rethrow } from 'next/navigation';
import { cache } from 'react';
import { z } from 'zod';
import type { AuditContext } from '../audit/types';
import { can, type Permission } from '../auth/roles';
import type { UserView } from '../auth/users';
import { DomainError, errorDetail, type FieldError, ValidationError } from '../errors';
import { findHub, type Hub } from '../hubs/hubs';
import { logger } from '../logger';
import { clientAddress, requireUser } from './session';

export type ActionResult<T> = { ok: true; data: T } | { ok: false; message: string; fieldErrors: FieldError[] };

export interface UserContext {
  user: UserView;
  /** The signed-in user and their address, for the audit entries lib/ writes with each change. */
  audit: AuditContext;
}

export interface AdminContext extends UserContext {
  /** The hub the page or action works in: from its address or input, checked to exist. */
  hub: Hub;
}

export interface ActionOptions {
  /** What the signed-in user's role must allow; checked on the server before the handler runs. */
  permission: Permission;
  /**
   * Actions work in one hub, named by `hubId` in their input, unless they are global (users, API
   * clients, creating a hub): those get no hub.
   */
  global?: boolean;
}

/** What a hub-scoped action's input carries besides its own fields. */
export interface HubInput {
  hubId: string;
}

// Loose: the action's own fields pass through to its schema.
const ZHubInput = z.looseObject({
  hubId: z.string({ error: 'hubId is required' }).trim().min(1, 'hubId is required').max(24, 'hubId is too long'),
});

export class PermissionDeniedError extends DomainError {
  override name = 'PermissionDeniedError';
  constructor(role: string, permission: Permission) {
    super(`Your role (${role}) does not allow this (${permission})`);
  }
}

/**
 * The hub named by an address or an action's input, once checked to exist; roles are
 * installation-wide, so any signed-in user may work in any hub their role allows. Never trust
 * a hub id without coming through here. Cached per request: a hub's layout and page both ask.
 */
export const adminHub = cache(async (hubId: string): Promise<Hub | null> => findHub(hubId));

export async function auditContext(user: UserView): Promise<AuditContext> {
  return { actor: { type: 'user', id: user.id, label: user.email }, sourceIp: await clientAddress() };
}

/**
 * Signed-in user and the hub of the address, for server components. Redirects to /login without
 * a session; an unknown hub gets the not-found page. A page that needs more than `read` checks
 * the role itself and renders RoleRefusal (components/layout/role-refusal.tsx), so a Viewer is
 * told the page is not theirs rather than that it does not exist.
 */
export async function adminContext(hubId: string): Promise<AdminContext> {
  const user = await requireUser();
  const hub = await adminHub(hubId);
  if (!hub) notFound();
  return { user, hub, audit: await auditContext(user) };
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
  logger('admin').error(`${action} failed: ${errorDetail(error)}`);
  return failure('Something went wrong. Try again, and check the server log if it keeps happening.');
}

/** Splits a hub-scoped action's input into its hub id and the fields its own schema reads. */
function splitHubInput(input: unknown): { hubId: string; rest: unknown } | { error: ValidationError } {
  const parsed = ZHubInput.safeParse(input);
  if (!parsed.success) return { error: ValidationError.fromZod(parsed.error) };
  const { hubId, ...rest } = parsed.data;
  return { hubId, rest };
}

/** The part every action shares: session, permission (before anything else runs), error mapping. */
async function runAction<T>(
  name: string,
  options: ActionOptions,
  work: (user: UserView) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  const user = await requireUser();
  if (!can(user.role, options.permission)) {
    logger('admin').warn(`${name} refused: ${user.email} (${user.role}) lacks ${options.permission}`);
    return failure(new PermissionDeniedError(user.role, options.permission).message);
  }
  try {
    return await work(user);
  } catch (error) {
    return toFailure(error, name);
  }
}

function parseFields<S extends z.ZodType>(schema: S, fields: unknown): z.output<S> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return parsed.data;
}

/** A global action's context: its handler is typed without a hub (see the overloads), so never reads this one. */
function withoutHub(context: UserContext): AdminContext {
  return {
    ...context,
    get hub(): Hub {
      throw new Error('a global admin action has no hub');
    },
  };
}

/**
 * A server action of the admin: checks the session and that the user's role allows the declared
 * permission (before anything else runs), takes the hub from the input's `hubId` and checks it
 * exists (unless the action is global), validates the rest of the input with zod, and turns
 * errors into `{ ok: false, message, fieldErrors }`.
 */
export function adminAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  handler: (input: z.output<S>, context: AdminContext) => Promise<T>,
  options: ActionOptions & { global?: false },
): (input: z.input<S> & HubInput) => Promise<ActionResult<T>>;
export function adminAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  handler: (input: z.output<S>, context: UserContext) => Promise<T>,
  options: ActionOptions & { global: true },
): (input: z.input<S>) => Promise<ActionResult<T>>;
export function adminAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  handler: (input: z.output<S>, context: AdminContext) => Promise<T>,
  options: ActionOptions,
): (input: unknown) => Promise<ActionResult<T>> {
  return (input) =>
    runAction(name, options, async (user) => {
      if (options.global) {
        const fields = parseFields(schema, input);
        return { ok: true, data: await handler(fields, withoutHub({ user, audit: await auditContext(user) })) };
      }
      const split = splitHubInput(input);
      if ('error' in split) throw split.error;
      const fields = parseFields(schema, split.rest);
      const hub = await adminHub(split.hubId);
      if (!hub) return failure('This hub does not exist. It may have been deleted.');
      return { ok: true, data: await handler(fields, { user, hub, audit: await auditContext(user) }) };
    });
}
