'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { FilterReportView } from '@/components/activity-log/filter-report';
import { useHub } from '@/components/layout/use-hub';
import type { CatalogEntry } from '@/components/test-event/catalog';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Section } from '@/components/ui/card';
import { CodeBlock, prettyJson } from '@/components/ui/code-block';
import { Select } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { type PreviewResult, previewRequestAction } from '@/lib/actions/webhook-actions';
import { type EditorState, filterInput } from './editor-state';

/** Renders URL and payload against a trigger's sample event as you type, and shows which filters would match. */
export function PreviewSection({ state, catalog }: { state: EditorState; catalog: CatalogEntry[] }) {
  const id = useId();
  const choices = state.events.length > 0 ? catalog.filter((entry) => state.events.includes(entry.name)) : catalog;
  const [chosen, setChosen] = useState('');
  const [sampleIndex, setSampleIndex] = useState(0);
  const event = choices.find((entry) => entry.name === chosen) ?? choices[0];
  const [result, setResult] = useState<PreviewResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const sequence = useRef(0);
  const { hubId } = useHub();

  // The action's input, hub included, as one string: the effect runs when any of it changes.
  const request = JSON.stringify({
    hubId,
    urlTemplate: state.url,
    payloadTemplate: state.payloadMode === 'custom' ? state.template : null,
    filters: state.filters.map(filterInput),
    event: event?.name ?? '',
    sampleIndex: event && sampleIndex < event.samples.length ? sampleIndex : 0,
  });

  useEffect(() => {
    const mine = ++sequence.current;
    setLoading(true);
    const timer = setTimeout(async () => {
      const outcome = await previewRequestAction(JSON.parse(request)).catch(() => null);
      if (mine !== sequence.current) return;
      setLoading(false);
      if (!outcome) setError('The preview is not available right now');
      else if (!outcome.ok) setError(outcome.message);
      else {
        setError(null);
        setResult(outcome.data);
      }
    }, 450);
    return () => clearTimeout(timer);
  }, [request]);

  return (
    <Section
      id="preview"
      title="Preview"
      description="The request this webhook would send for a sample event, rendered as you edit."
      actions={loading ? <Spinner className="h-4 w-4 text-zinc-400" /> : null}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-event`} className="mb-1 block text-xs font-medium text-zinc-600">
            Sample event
          </label>
          <Select
            id={`${id}-event`}
            value={event?.name ?? ''}
            onChange={(e) => {
              setChosen(e.target.value);
              setSampleIndex(0);
            }}
          >
            {choices.map((entry) => (
              <option key={entry.name} value={entry.name}>
                {entry.label}
              </option>
            ))}
          </Select>
        </div>
        {event && event.samples.length > 1 ? (
          <div>
            <label htmlFor={`${id}-sample`} className="mb-1 block text-xs font-medium text-zinc-600">
              Variant
            </label>
            <Select id={`${id}-sample`} value={sampleIndex} onChange={(e) => setSampleIndex(Number(e.target.value))}>
              {event.samples.map((sample, index) => (
                <option key={sample.label} value={index}>
                  {sample.label}
                </option>
              ))}
            </Select>
          </div>
        ) : null}
      </div>
      <div aria-live="polite" className="mt-4 space-y-4" data-testid="preview">
        {error ? <Alert tone="danger">{error}</Alert> : null}
        {result ? (
          <>
            <div>
              <div className="mb-1.5 flex flex-wrap items-center gap-2">
                <h3 className="text-sm font-semibold">Filters</h3>
                {result.filterReport.filters.length > 0 || result.incompleteFilters.length > 0 ? (
                  result.filterReport.matched ? (
                    <Badge tone="success">Would be sent</Badge>
                  ) : (
                    <Badge tone="muted">Would not be sent (filtered)</Badge>
                  )
                ) : null}
              </div>
              <FilterReportView report={result.filterReport} />
              {result.incompleteFilters.length > 0 ? (
                <p className="mt-1 text-xs text-zinc-500">
                  Left out until complete: filter {result.incompleteFilters.map((i) => i + 1).join(', ')}.
                </p>
              ) : null}
            </div>
            {result.error ? (
              <Alert tone="warning" title="Cannot render the request">
                <span className="break-words">{result.error}</span>
              </Alert>
            ) : (
              <div className="space-y-3">
                <div>
                  <h3 className="mb-1.5 text-sm font-semibold">Request</h3>
                  <p className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs [overflow-wrap:anywhere]">
                    <span className="font-semibold">{state.method}</span> {result.url}
                  </p>
                </div>
                <div>
                  <h3 className="mb-1.5 text-sm font-semibold">Body</h3>
                  <CodeBlock label="Preview body" maxHeight="max-h-80">
                    {prettyJson(result.body ?? '')}
                  </CodeBlock>
                </div>
              </div>
            )}
          </>
        ) : null}
      </div>
    </Section>
  );
}
