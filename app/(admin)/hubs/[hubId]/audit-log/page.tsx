import type { Metadata } from 'next';
import { AuditFilters } from '@/components/audit-log/audit-filters';
import { AuditTable } from '@/components/audit-log/audit-table';
import { RoleRefusal } from '@/components/layout/role-refusal';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { adminContext } from '@/lib/actions/action';
import { AUDIT_ACTIONS } from '@/lib/audit/actions';
import { isAuditCursor, listAuditActors, listAuditEntries, listAuditWebhooks } from '@/lib/audit/read-audit';
import { can } from '@/lib/auth/roles';
import { hubPath } from '@/lib/hubs/hub-paths';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;
const ACTOR_KINDS = { user: '', 'api-client': ' (API client)', system: ' (Herald)' } as const;

type Search = { actor?: string; webhook?: string; action?: string; cursor?: string };

const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 320) : '');

/** Owners and Admins: who changed what in this hub, and in Herald as a whole (users, sign-ins, API clients). */
export default async function AuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ hubId: string }>;
  searchParams: Promise<Search>;
}) {
  const { hub, user } = await adminContext((await params).hubId);
  if (!can(user.role, 'audit:read')) {
    return <RoleRefusal role={user.role} permission="audit:read" backHref={hubPath(hub.id, '/webhooks')} />;
  }
  const search = await searchParams;
  const values = { actor: text(search.actor), webhook: text(search.webhook), action: text(search.action) };
  // A hand-edited cursor that cannot be one starts from the newest entry.
  const cursor = isAuditCursor(text(search.cursor)) ? text(search.cursor) : '';
  const scope = { hubId: hub.id, includeGlobal: true };
  const [page, actors, webhooks] = await Promise.all([
    listAuditEntries(scope, {
      ...Object.fromEntries(Object.entries(values).filter(([, value]) => value)),
      ...(cursor ? { cursor } : {}),
      limit: PAGE_SIZE,
    }),
    listAuditActors(scope),
    listAuditWebhooks(hub.id),
  ]);
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...values, ...extra })) if (value) params.set(name, value);
    const encoded = params.toString();
    return hubPath(hub.id, `/audit-log${encoded ? `?${encoded}` : ''}`);
  };
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every configuration change in this hub, and changes to users and API clients, with who made it, when and from where. Secrets appear only as “changed”."
      />
      <div className="space-y-4">
        <AuditFilters
          values={values}
          options={{
            actor: actors.map((actor) => ({
              value: actor.id ?? actor.label,
              label: `${actor.label}${ACTOR_KINDS[actor.type]}`,
            })),
            webhook: webhooks.map((webhook) => ({
              value: webhook.id,
              label: webhook.exists ? webhook.label : `${webhook.label} (deleted)`,
            })),
            action: Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label })),
          }}
        />
        {page.items.length === 0 ? (
          <EmptyState title={cursor ? 'No older entries' : 'Nothing recorded yet'}>
            {Object.values(values).some(Boolean)
              ? 'No entry matches these filters.'
              : 'Changes appear here as they are made.'}
          </EmptyState>
        ) : (
          <AuditTable
            entries={page.items}
            hubId={hub.id}
            webhooks={new Map(webhooks.map(({ id, label, exists }) => [id, { label, exists }]))}
          />
        )}
        <nav aria-label="Audit log pages" className="flex justify-between gap-3">
          {cursor ? (
            <ButtonLink href={query({})} variant="secondary">
              Newest entries
            </ButtonLink>
          ) : (
            <span />
          )}
          {page.nextCursor ? (
            <ButtonLink href={query({ cursor: page.nextCursor })} variant="secondary">
              Older entries
            </ButtonLink>
          ) : null}
        </nav>
      </div>
    </>
  );
}
