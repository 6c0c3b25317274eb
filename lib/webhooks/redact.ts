import { can, type Role } from '../auth/roles';
import type { Webhook } from './types';

/**
 * The webhook as a role may see it: without `secrets:read` (Viewers) the secret is left out,
 * so it never reaches the page, whatever the page renders. Secret header values are never
 * loaded for anyone (see mapping.ts).
 */
export function webhookForRole(webhook: Webhook, role: Role): Webhook {
  if (can(role, 'secrets:read')) return webhook;
  return {
    ...webhook,
    secret: null,
    headers: webhook.headers.map((header) => (header.secret ? { ...header, value: null } : header)),
  };
}
