import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { DataTable } from '@/components/ui/data-table';
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

function Target({
  entry,
  hubId,
  liveWebhooks,
}: {
  entry: AuditEntryView;
  hubId: string;
  liveWebhooks: ReadonlySet<string>;
}) {
  const { target } = entry;
  if (!target) return <span className="text-zinc-400">—</span>;
  const label = target.label ?? target.id;
  if (target.type === 'webhook' && liveWebhooks.has(target.id)) {
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
  liveWebhooks,
}: {
  entries: AuditEntryView[];
  hubId: string;
  /** Webhooks that still exist: only those are linked. */
  liveWebhooks: ReadonlySet<string>;
}) {
  return (
    <DataTable
      caption="Audit log, newest first"
      minWidth="min-w-[1040px]"
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
        <tr key={entry.id} data-testid="audit-entry">
          <td className="px-4 py-3 text-zinc-600">
            <Time date={entry.createdDate} />
            <div className="text-xs text-zinc-400">{formatAbsolute(entry.createdDate)}</div>
          </td>
          <td className="px-4 py-3">
            <div className="font-medium [overflow-wrap:anywhere] text-zinc-900" data-testid="audit-actor">
              {entry.actor.label}
            </div>
            <Badge tone={ACTOR_TONES[entry.actor.type]}>{ACTOR_KINDS[entry.actor.type]}</Badge>
          </td>
          <td className="px-4 py-3 font-medium text-zinc-900" data-testid="audit-action">
            <span>{actionLabel(entry.action)}</span>
            <div className="font-mono text-xs font-normal text-zinc-400">{entry.action}</div>
          </td>
          <td className="px-4 py-3">
            <Target entry={entry} hubId={hubId} liveWebhooks={liveWebhooks} />
          </td>
          <td className="px-4 py-3">
            <ChangeList changes={entry.changes} />
          </td>
          <td className="px-4 py-3 font-mono text-xs text-zinc-600">{entry.sourceIp ?? '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
