import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { DataTable } from '@/components/ui/data-table';
import { STACKED } from '@/components/ui/stacked-table';
import { formatAbsolute, Time } from '@/components/ui/time';
import { actionLabel } from '@/lib/audit/actions';
import type { AuditEntryView } from '@/lib/audit/read-audit';
import { hubPath } from '@/lib/hubs/hub-paths';
import { ChangeList } from './change-list';

const ACTOR_TONES: Record<AuditEntryView['actor']['type'], BadgeTone> = {
  user: 'neutral',
  'api-client': 'info',
  system: 'muted',
};
const ACTOR_KINDS: Record<AuditEntryView['actor']['type'], string> = {
  user: 'User',
  'api-client': 'API client',
  system: 'Herald',
};

/** What the page knows of the webhooks the log names (see listAuditWebhooks). */
export type AuditWebhooks = ReadonlyMap<string, { label: string; exists: boolean }>;

function Target({ entry, hubId, webhooks }: { entry: AuditEntryView; hubId: string; webhooks: AuditWebhooks }) {
  const { target } = entry;
  if (!target) return <span className="text-zinc-400">—</span>;
  const webhook = target.type === 'webhook' ? webhooks.get(target.id) : undefined;
  // The label at the time of the entry; entries that recorded none take the webhook's, never an id.
  const label = target.label ?? webhook?.label ?? target.id;
  if (webhook?.exists) {
    return (
      <Link
        href={hubPath(hubId, `/webhooks/${target.id}`)}
        className="font-medium [overflow-wrap:anywhere] text-indigo-700 hover:underline"
      >
        {label}
      </Link>
    );
  }
  return <span className="font-medium [overflow-wrap:anywhere] text-zinc-800">{label}</span>;
}

export function AuditTable({
  entries,
  hubId,
  webhooks,
}: {
  entries: AuditEntryView[];
  hubId: string;
  /** The webhooks the log names: only those that still exist are linked. */
  webhooks: AuditWebhooks;
}) {
  return (
    <DataTable
      caption="Audit log, newest first"
      minWidth="md:min-w-[1040px]"
      fixed
      bodyClassName="align-top"
      columns={[
        { label: 'When', className: 'w-36' },
        { label: 'Actor', className: 'w-52' },
        { label: 'Action', className: 'w-44' },
        { label: 'Target', className: 'w-44' },
        { label: 'Changes' },
        { label: 'Source IP', className: 'w-32' },
      ]}
    >
      {entries.map((entry) => (
        <tr key={entry.id} className={STACKED.row} data-testid="audit-entry">
          <td className={`${STACKED.cell} text-zinc-600`} data-label="When">
            <Time date={entry.createdDate} />
            <div className="text-xs text-zinc-400 max-md:ml-2 max-md:inline">{formatAbsolute(entry.createdDate)}</div>
          </td>
          <td className={STACKED.cell} data-label="Actor">
            <div className="font-medium [overflow-wrap:anywhere] text-zinc-900" data-testid="audit-actor">
              {entry.actor.label}
            </div>
            <Badge tone={ACTOR_TONES[entry.actor.type]}>{ACTOR_KINDS[entry.actor.type]}</Badge>
          </td>
          <td className={`${STACKED.cell} font-medium text-zinc-900`} data-label="Action" data-testid="audit-action">
            <span>{actionLabel(entry.action)}</span>
            <div className="font-mono text-xs font-normal text-zinc-400">{entry.action}</div>
          </td>
          <td className={STACKED.cell} data-label="Target">
            <Target entry={entry} hubId={hubId} webhooks={webhooks} />
          </td>
          <td className={STACKED.cell} data-label="Changes">
            <ChangeList changes={entry.changes} />
          </td>
          <td className={`${STACKED.cell} font-mono text-xs text-zinc-600`} data-label="Source IP">
            {entry.sourceIp ?? '—'}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
