/**
 * Who may do what. Framework-free and free of database imports, so client components can use the
 * same table to leave out controls a role cannot use; the server checks it again before every
 * action runs (lib/actions/action.ts), so hiding a button is never the only guard.
 */

export const ROLES = ['Owner', 'Admin', 'Editor', 'Viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** See webhooks, deliveries, events, charts: everyone signed in. */
  'read',
  /** See webhook secrets and secret header values (always masked for anyone without it). */
  'secrets:read',
  /** Create, edit, enable/disable, delete webhooks; regenerate their secrets. */
  'webhooks:write',
  /** Send test events and emit events from the admin UI. */
  'events:send',
  /** Redeliver one delivery, recover failed deliveries. */
  'deliveries:redeliver',
  /** Create and revoke API clients. */
  'api-clients:manage',
  /** Create and rename hubs. */
  'hubs:manage',
  /** Invite, change roles, remove users, revoke their sessions. */
  'users:manage',
  /** Read the audit log. */
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const EDITOR: readonly Permission[] = ['read', 'secrets:read', 'webhooks:write', 'events:send', 'deliveries:redeliver'];
const ADMIN: readonly Permission[] = [...EDITOR, 'api-clients:manage', 'hubs:manage', 'audit:read'];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  Owner: new Set(PERMISSIONS),
  Admin: new Set(ADMIN),
  Editor: new Set(EDITOR),
  Viewer: new Set<Permission>(['read']),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  Owner: 'Everything, including users',
  Admin: 'Webhooks, API clients, hubs and the audit log',
  Editor: 'Webhooks, test events, redeliver and recover',
  Viewer: 'Read-only; never sees secrets',
};

/** Every permission with whether the role has it: plain data a page can hand to client components. */
export function grantsOf(role: Role): Record<Permission, boolean> {
  return Object.fromEntries(PERMISSIONS.map((permission) => [permission, can(role, permission)])) as Record<
    Permission,
    boolean
  >;
}

/** What each permission lets one do, as the sentence "Your role (Viewer) cannot …" ends. */
export const PERMISSION_ACTIONS: Record<Permission, string> = {
  read: 'open Herald’s pages',
  'secrets:read': 'see webhook secrets',
  'webhooks:write': 'create or change webhooks',
  'events:send': 'send test events',
  'deliveries:redeliver': 'redeliver or recover deliveries',
  'api-clients:manage': 'create or revoke API clients',
  'hubs:manage': 'create or rename hubs',
  'users:manage': 'manage users',
  'audit:read': 'read the audit log',
};

/** The roles that have a permission, most powerful first ("Owner", "Admin"…). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => can(role, permission));
}
