/**
 * Every action the audit log records, with how the log page names it. Browser-safe (no imports),
 * so the filter menu and the table read the same list.
 */
export const AUDIT_ACTIONS = {
  'webhook.created': 'Webhook created',
  'webhook.updated': 'Webhook updated',
  'webhook.deleted': 'Webhook deleted',
  'webhook.enabled': 'Webhook enabled',
  'webhook.disabled': 'Webhook disabled',
  'webhook.secret-regenerated': 'Secret regenerated',
  'webhook.test-sent': 'Test event sent',
  'event.emitted': 'Event emitted',
  'delivery.redelivered': 'Redelivered',
  'delivery.recovered': 'Failed deliveries recovered',
  'api-client.created': 'API client created',
  'api-client.revoked': 'API client revoked',
  'hub.created': 'Hub created',
  'hub.renamed': 'Hub renamed',
  'user.set-up': 'Herald set up',
  'user.invited': 'User invited',
  'user.invite-revoked': 'Invitation revoked',
  'user.joined': 'Invitation accepted',
  'user.role-changed': 'Role changed',
  'user.removed': 'User removed',
  'user.sessions-revoked': 'Sessions revoked',
  'user.signed-in': 'Signed in',
  'user.sign-in-failed': 'Sign-in failed',
  'user.sign-ins-throttled': 'Sign-ins refused (too many failures)',
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function actionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}
