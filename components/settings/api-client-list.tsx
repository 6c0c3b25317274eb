import { Badge } from '@/components/ui/badge';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Time } from '@/components/ui/time';
import type { ApiClientView } from '@/lib/auth/api-clients';
import { RevokeClientButton } from './revoke-client-button';

export function ApiClientList({
  clients,
  hubLabels,
  manage,
}: {
  clients: ApiClientView[];
  hubLabels: ReadonlyMap<string, string>;
  /** Whether the signed-in user may revoke clients. */
  manage: boolean;
}) {
  if (clients.length === 0) {
    return (
      <EmptyState title="No API clients">Create one to let a content system post events or manage webhooks.</EmptyState>
    );
  }
  return (
    <DataTable
      caption="API clients"
      minWidth="min-w-[860px]"
      columns={[
        { label: 'Name' },
        { label: 'Client id' },
        { label: 'Scopes' },
        { label: 'Hubs' },
        { label: 'Created' },
        { label: 'Last used' },
        { label: 'Actions', hidden: true },
      ]}
    >
      {clients.map((client) => (
        <tr key={client.id} className={client.revokedAt ? 'text-zinc-400' : ''}>
          <td className="px-4 py-3 font-medium">{client.name}</td>
          <td className="px-4 py-3 font-mono text-xs">{client.id}</td>
          <td className="px-4 py-3">
            <ul className="flex flex-wrap gap-1">
              {client.scopes.map((scope) => (
                <li key={scope} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700">
                  {scope}
                </li>
              ))}
            </ul>
          </td>
          <td className="px-4 py-3 text-xs">
            {client.hubIds === null
              ? 'Every hub'
              : client.hubIds.map((hubId) => hubLabels.get(hubId) ?? hubId).join(', ') || 'None'}
          </td>
          <td className="px-4 py-3">
            <Time date={client.createdDate} />
          </td>
          <td className="px-4 py-3">{client.lastUsedAt ? <Time date={client.lastUsedAt} /> : 'Never'}</td>
          <td className="px-4 py-3 text-right">
            {client.revokedAt ? (
              <Badge tone="muted">Revoked</Badge>
            ) : manage ? (
              <RevokeClientButton id={client.id} name={client.name} />
            ) : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
