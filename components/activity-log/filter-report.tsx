import { Badge } from '@/components/ui/badge';
import type { FilterReport } from '@/lib/filters/types';

const OUTCOMES = {
  matched: { tone: 'success', label: 'Matched' },
  not_matched: { tone: 'danger', label: 'Not matched' },
  ignored: { tone: 'muted', label: 'Ignored' },
} as const;

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Which filter matched, with what value; which did not and why. Used by the preview and delivery details. */
export function FilterReportView({ report }: { report: FilterReport }) {
  if (report.filters.length === 0) {
    return <p className="text-sm text-zinc-500">No filters: every event is sent.</p>;
  }
  return (
    <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200" data-testid="filter-report">
      {report.filters.map((entry, index) => {
        const outcome = OUTCOMES[entry.outcome];
        const expected = entry.expected === undefined ? [] : [entry.expected].flat();
        const operator = entry.type === 'equal' ? 'equals' : entry.type === 'in' ? 'in' : 'changed';
        return (
          <li key={index} className="grid grid-cols-1 gap-1 px-3 py-2.5 text-sm sm:grid-cols-[7.5rem_minmax(0,1fr)]">
            <div>
              <Badge tone={outcome.tone}>{outcome.label}</Badge>
            </div>
            <div className="min-w-0 space-y-0.5">
              <p className="font-mono text-xs [overflow-wrap:anywhere] text-zinc-900">
                {entry.jsonPath} <span className="font-sans text-zinc-500">{operator}</span>{' '}
                {expected.map((value) => JSON.stringify(value)).join(', ')}
              </p>
              {entry.change ? (
                // `changed`: the comparison with the previous event of the key, matched or not.
                <p className="text-xs text-zinc-700" data-testid="filter-change">
                  <span className="[overflow-wrap:anywhere]">{entry.change}</span>
                </p>
              ) : null}
              {entry.outcome === 'matched' && entry.matchedValue !== undefined ? (
                <p className="text-xs text-emerald-800">
                  Matched value: <code className="font-mono [overflow-wrap:anywhere]">{entry.matchedValue}</code>
                </p>
              ) : null}
              {entry.outcome !== 'matched' && entry.found.length > 0 && entry.type !== 'changed' ? (
                <p className="text-xs text-zinc-600">
                  Found: <code className="font-mono [overflow-wrap:anywhere]">{entry.found.map(show).join(', ')}</code>
                </p>
              ) : null}
              {entry.reason && entry.outcome !== 'matched' ? (
                <p className="text-xs text-zinc-500">{entry.reason}</p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
