'use client';

import { startTransition, useActionState, useState } from 'react';
import { useHub } from '@/components/layout/use-hub';
import type { CatalogEntry } from '@/components/test-event/catalog';
import { Alert } from '@/components/ui/alert';
import { Section } from '@/components/ui/card';
import { Field, Select, Textarea } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { useToast } from '@/components/ui/toast';
import { useHydrated } from '@/components/ui/use-hydrated';
import { emitEventAction } from '@/lib/actions/event-actions';

type Result = Awaited<ReturnType<typeof emitEventAction>>;

/** Emits any catalog event to every webhook that subscribes to it, as a content system would. */
export function EmitEventForm({ catalog }: { catalog: CatalogEntry[] }) {
  const toast = useToast();
  const { hubId } = useHub();
  // Before hydration a click would submit the bare HTML form and lose the edits.
  const hydrated = useHydrated();
  const [name, setName] = useState(catalog[0]?.name ?? '');
  const [sample, setSample] = useState(0);
  const entry = catalog.find((candidate) => candidate.name === name);
  const [payload, setPayload] = useState(entry?.samples[0]?.payload ?? '{}');
  const [result, emit, pending] = useActionState(
    async (_previous: Result | null, input: { name: string; payload: string }) => {
      const outcome = await emitEventAction({ hubId, ...input });
      if (outcome.ok) toast(`Event #${outcome.data.sequenceId} emitted`);
      return outcome;
    },
    null,
  );

  const choose = (nextName: string, index: number) => {
    setName(nextName);
    setSample(index);
    setPayload(catalog.find((candidate) => candidate.name === nextName)?.samples[index]?.payload ?? '{}');
  };

  return (
    <Section id="emit" title="Emit an event" description="Sent to every active webhook that subscribes to it.">
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          startTransition(() => emit({ name, payload }));
        }}
      >
        <Field id="emit-event" label="Event">
          <Select id="emit-event" value={name} onChange={(event) => choose(event.target.value, 0)}>
            {catalog.map((option) => (
              <option key={option.name} value={option.name}>
                {option.label}
              </option>
            ))}
          </Select>
        </Field>
        {entry && entry.samples.length > 1 ? (
          <Field id="emit-sample" label="Sample">
            <Select id="emit-sample" value={sample} onChange={(event) => choose(name, Number(event.target.value))}>
              {entry.samples.map((option, index) => (
                <option key={option.label} value={index}>
                  {option.label}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field
          id="emit-payload"
          label="Payload"
          hint="JSON object; Herald adds the envelope (sequenceId, id, name, requestId, resource)."
          errors={result && !result.ok ? errorsFor(result.fieldErrors, 'payload', true) : undefined}
        >
          <Textarea
            id="emit-payload"
            rows={16}
            value={payload}
            onChange={(event) => setPayload(event.target.value)}
            spellCheck={false}
            // JSON is not wrapped mid-value: long lines scroll sideways inside the box.
            wrap="off"
            className="overflow-x-auto font-mono text-xs whitespace-pre"
          />
        </Field>
        <div aria-live="polite">
          {result && !result.ok && result.fieldErrors.length === 0 ? (
            <Alert tone="danger">{result.message}</Alert>
          ) : null}
          {result?.ok ? (
            <Alert tone="success">
              Event #{result.data.sequenceId} emitted: {result.data.queued} deliver
              {result.data.queued === 1 ? 'y' : 'ies'} queued, {result.data.filtered} filtered.
            </Alert>
          ) : null}
        </div>
        <SubmitButton disabled={!hydrated} pending={pending} pendingLabel="Emitting…">
          Emit event
        </SubmitButton>
      </form>
    </Section>
  );
}
