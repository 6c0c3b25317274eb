import { Badge } from '@/components/ui/badge';
import { DataTable } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { STACKED } from '@/components/ui/stacked-table';
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
      minWidth="md:min-w-[860px]"
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
        <tr key={client.id} className={`${STACKED.row} ${client.revokedAt ? 'text-zinc-400' : ''}`}>
          <td className={`${STACKED.bare} font-medium [overflow-wrap:anywhere]`}>{client.name}</td>
          <td className={`${STACKED.cell} font-mono text-xs [overflow-wrap:anywhere]`} data-label="Client id">
            {client.id}
          </td>
          <td className={STACKED.cell} data-label="Scopes">
            <ul className="flex flex-wrap gap-1">
              {client.scopes.map((scope) => (
                <li key={scope} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700">
                  {scope}
                </li>
              ))}
            </ul>
          </td>
          <td className={`${STACKED.cell} text-xs`} data-label="Hubs">
            {client.hubIds === null
              ? 'Every hub'
              : client.hubIds.map((hubId) => hubLabels.get(hubId) ?? hubId).join(', ') || 'None'}
          </td>
          <td className={STACKED.cell} data-label="Created">
            <Time date={client.createdDate} />
          </td>
          <td className={STACKED.cell} data-label="Last used">
            {client.lastUsedAt ? <Time date={client.lastUsedAt} /> : 'Never'}
          </td>
          <td className={`${STACKED.bare} text-right max-md:pt-2 max-md:text-left`}>
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
