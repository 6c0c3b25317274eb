import { Badge } from '@/components/ui/badge';
import { CodeBlock, prettyJson } from '@/components/ui/code-block';
import { formatAbsolute, Time } from '@/components/ui/time';
import type { DeliveryAttemptView } from '@/lib/activity-log/read-deliveries';
import { HeadersTable } from './headers-table';

export function AttemptList({ attempts }: { attempts: DeliveryAttemptView[] }) {
  if (attempts.length === 0) return <p className="text-sm text-zinc-500">No attempts yet.</p>;
  return (
    <ol className="space-y-4">
      {attempts.map((attempt) => (
        <li
          key={`${attempt.chain}-${attempt.number}`}
          className="rounded-md border border-zinc-200"
          data-testid="attempt"
        >
          <div className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-zinc-100 bg-zinc-50 px-3 py-2 text-sm">
            <span className="font-semibold">
              Attempt {attempt.number}
              {attempt.chain > 1 ? (
                <span className="font-normal text-zinc-500"> · redelivery {attempt.chain - 1}</span>
              ) : null}
            </span>
            {attempt.succeeded ? <Badge tone="success">Succeeded</Badge> : <Badge tone="danger">Failed</Badge>}
            {attempt.response ? <span className="font-mono text-xs">HTTP {attempt.response.status}</span> : null}
            <span className="text-xs text-zinc-500" title={formatAbsolute(attempt.startedAt)}>
              <Time date={attempt.startedAt} /> · {attempt.durationMs} ms
            </span>
          </div>
          <div className="space-y-3 px-3 py-3">
            {attempt.error ? (
              <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
                <span className="font-semibold">Error:</span> {attempt.error}
              </p>
            ) : null}
            {attempt.nextAttemptAt ? (
              <p className="text-xs text-zinc-600">Next attempt: {formatAbsolute(attempt.nextAttemptAt)}</p>
            ) : null}
            {attempt.response ? (
              <>
                <div>
                  <h4 className="mb-1 text-xs font-semibold text-zinc-600 uppercase">Response headers</h4>
                  <HeadersTable
                    headers={attempt.response.headers}
                    label={`Attempt ${attempt.number} response headers`}
                  />
                </div>
                <div>
                  <h4 className="mb-1 text-xs font-semibold text-zinc-600 uppercase">
                    Response body{attempt.response.truncated ? ' (first 64 KB)' : ''}
                  </h4>
                  {attempt.response.body ? (
                    <CodeBlock label={`Attempt ${attempt.number} response body`} maxHeight="max-h-64">
                      {prettyJson(attempt.response.body)}
                    </CodeBlock>
                  ) : (
                    <p className="text-sm text-zinc-500">Empty.</p>
                  )}
                </div>
              </>
            ) : null}
            <details className="text-xs">
              <summary className="cursor-pointer font-medium text-zinc-600">Request headers sent</summary>
              <div className="mt-2">
                <HeadersTable headers={attempt.requestHeaders} label={`Attempt ${attempt.number} request headers`} />
              </div>
            </details>
          </div>
        </li>
      ))}
    </ol>
  );
}
