import type { AuditChanges } from '@/lib/audit/types';

const LONG = 120;

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length === 0 ? '(none)' : value.join(', ');
  }
  return JSON.stringify(value);
}

function Value({ value, tone }: { value: unknown; tone: 'from' | 'to' }) {
  const text = show(value);
  const className =
    tone === 'from'
      ? 'rounded bg-red-50 px-1 font-mono text-red-800 line-through decoration-red-300'
      : 'rounded bg-emerald-50 px-1 font-mono text-emerald-800';
  if (text.length <= LONG) return <span className={`${className} [overflow-wrap:anywhere]`}>{text}</span>;
  // Templates and long lists: the start inline, the whole on demand.
  return (
    <details className="inline-block max-w-full align-top">
      <summary className={`${className} cursor-pointer [overflow-wrap:anywhere]`}>{text.slice(0, LONG)}…</summary>
      <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-50 p-2 text-xs whitespace-pre-wrap [overflow-wrap:anywhere]">
        {text}
      </pre>
    </details>
  );
}

/** A field-level diff: each field with its old and new value; secrets only as "changed". */
export function ChangeList({ changes }: { changes: AuditChanges | null }) {
  const fields = Object.entries(changes ?? {});
  if (fields.length === 0) return <span className="text-zinc-400">—</span>;
  return (
    <ul className="min-w-0 space-y-1 text-xs">
      {fields.map(([field, change]) => (
        <li key={field} className="min-w-0">
          <span className="font-medium text-zinc-700">{field}</span>{' '}
          {change === 'changed' ? (
            <span className="text-zinc-500 italic">changed (value not shown)</span>
          ) : change.from === null || change.from === undefined ? (
            <Value value={change.to} tone="to" />
          ) : (
            <>
              <Value value={change.from} tone="from" /> <span aria-hidden="true">→</span>
              <span className="sr-only">to</span> <Value value={change.to} tone="to" />
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
