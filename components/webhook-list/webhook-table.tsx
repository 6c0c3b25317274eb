import Link from 'next/link';
import type { CatalogEntry } from '@/components/test-event/catalog';
import { SendTestEventButton } from '@/components/test-event/send-test-event-dialog';
import { StatusBadge } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';
import type { WebhookStats } from '@/lib/activity-log/webhook-stats';
import { hubPath } from '@/lib/hubs/hub-paths';
import type { Webhook } from '@/lib/webhooks/types';
import { ActiveToggle, TurnBackOnButton } from './active-toggle';

function SuccessRate({ stats }: { stats: WebhookStats | undefined }) {
  if (!stats || stats.successRate24h === null) return <span className="text-zinc-400">—</span>;
  const percent = Math.round(stats.successRate24h * 1000) / 10;
  const tone = percent >= 99 ? 'text-emerald-700' : percent >= 90 ? 'text-amber-700' : 'text-red-700';
  return (
    <span
      className={`font-medium ${tone}`}
      title={`${stats.delivered24h} of ${stats.attempted24h} attempts succeeded in 24 h`}
    >
      {percent}%<span className="ml-1 text-xs font-normal text-zinc-500">of {stats.attempted24h}</span>
    </span>
  );
}

export function WebhookTable({
  hubId,
  webhooks,
  stats,
  catalog,
  canWrite = false,
  canSend = false,
}: {
  hubId: string;
  webhooks: Webhook[];
  stats: Map<string, WebhookStats>;
  catalog: CatalogEntry[];
  /** The role may switch webhooks on and off (else no toggles). */
  canWrite?: boolean;
  /** The role may send test events (else no send buttons). */
  canSend?: boolean;
}) {
  const labels = new Map(catalog.map((entry) => [entry.name, entry.label]));
  return (
    <ul className="space-y-3" aria-label="Webhooks">
      {webhooks.map((webhook) => {
        const stat = stats.get(webhook.id);
        return (
          <li
            key={webhook.id}
            className="rounded-lg border border-zinc-200 bg-white shadow-sm"
            data-testid="webhook-row"
          >
            {webhook.disabledReason ? (
              <div
                role="alert"
                className="flex flex-wrap items-center justify-between gap-2 rounded-t-lg border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
              >
                <p>
                  <span className="font-semibold">Turned off by Herald:</span> {webhook.disabledReason}
                </p>
                {canWrite ? <TurnBackOnButton id={webhook.id} label={webhook.label} /> : null}
              </div>
            ) : null}
            <div className="grid grid-cols-1 gap-4 px-4 py-4 md:grid-cols-[minmax(0,2.2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] md:items-center">
              <div className="min-w-0">
                <div className="flex items-center gap-3">
                  {canWrite ? <ActiveToggle id={webhook.id} label={webhook.label} active={webhook.active} /> : null}
                  <Link
                    href={hubPath(hubId, `/webhooks/${webhook.id}`)}
                    className="truncate text-base font-semibold text-zinc-900 hover:text-indigo-700 hover:underline"
                  >
                    {webhook.label}
                  </Link>
                </div>
                <p className="mt-1 truncate font-mono text-xs text-zinc-600" title={webhook.handlers[0]}>
                  <span className="mr-1.5 rounded bg-zinc-100 px-1 py-0.5 font-semibold text-zinc-700">
                    {webhook.method}
                  </span>
                  {webhook.handlers[0]}
                </p>
                <p className="mt-1.5 text-xs text-zinc-500">
                  {webhook.events.map((event) => labels.get(event) ?? event).join(' · ')}
                </p>
              </div>
              <div>
                <p className="text-xs font-medium text-zinc-500 uppercase">Last delivery</p>
                <div className="mt-1 flex flex-wrap items-center gap-2">
                  {stat?.lastStatus ? (
                    <>
                      <StatusBadge status={stat.lastStatus} />
                      {stat.lastDeliveryAt ? (
                        <span className="text-xs text-zinc-500">
                          <Time date={stat.lastDeliveryAt} />
                        </span>
                      ) : null}
                    </>
                  ) : (
                    <span className="text-zinc-400">None yet</span>
                  )}
                </div>
              </div>
              <div>
                <p className="text-xs font-medium text-zinc-500 uppercase">Success, 24 h</p>
                <p className="mt-1">
                  <SuccessRate stats={stat} />
                </p>
              </div>
              <div className="flex flex-wrap gap-2 md:justify-end">
                {canSend ? (
                  <SendTestEventButton webhookId={webhook.id} triggers={webhook.events} catalog={catalog} size="sm" />
                ) : null}
                <Link
                  href={hubPath(hubId, `/webhooks/${webhook.id}/activity`)}
                  className="inline-flex h-8 items-center rounded-md px-2.5 text-xs font-medium text-zinc-700 hover:bg-zinc-100"
                >
                  Activity
                </Link>
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
