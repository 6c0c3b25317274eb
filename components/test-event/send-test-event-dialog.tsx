'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { testEventMessage } from '@/components/activity-log/delivery-wording';
import { useHub } from '@/components/layout/use-hub';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Select, Textarea } from '@/components/ui/field';
import { Spinner } from '@/components/ui/spinner';
import { useToast } from '@/components/ui/toast';
import { sendTestEventAction } from '@/lib/actions/webhook-actions';
import type { CatalogEntry } from './catalog';

/**
 * "Send test event": pick a trigger and sample, optionally edit its payload, send. The event goes
 * through the normal pipeline to this webhook only, and its delivery opens.
 */
export function SendTestEventButton({
  webhookId,
  triggers,
  catalog,
  note,
  variant = 'secondary',
  size = 'md',
}: {
  webhookId: string;
  triggers: string[];
  catalog: CatalogEntry[];
  note?: string;
  variant?: 'secondary' | 'primary' | 'ghost';
  size?: 'sm' | 'md';
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={variant} size={size} onClick={() => setOpen(true)}>
        Send test event
      </Button>
      {open ? (
        <SendTestEventDialog
          webhookId={webhookId}
          triggers={triggers}
          catalog={catalog}
          note={note}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}

function SendTestEventDialog({
  webhookId,
  triggers,
  catalog,
  note,
  onClose,
}: {
  webhookId: string;
  triggers: string[];
  catalog: CatalogEntry[];
  note?: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const { hubId, path } = useHub();
  const toast = useToast();
  const id = useId();
  const subscribed = catalog.filter((entry) => triggers.includes(entry.name));
  const others = catalog.filter((entry) => !triggers.includes(entry.name));
  const [eventName, setEventName] = useState(subscribed[0]?.name ?? catalog[0]?.name ?? '');
  const [sampleIndex, setSampleIndex] = useState(0);
  const entry = catalog.find((candidate) => candidate.name === eventName);
  const [payload, setPayload] = useState(entry?.samples[0]?.payload ?? '{}');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const choose = (name: string, index: number) => {
    const chosen = catalog.find((candidate) => candidate.name === name);
    setEventName(name);
    setSampleIndex(index);
    setPayload(chosen?.samples[index]?.payload ?? '{}');
    setError(null);
  };

  const send = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch (cause) {
      setError(`The payload is not valid JSON: ${(cause as Error).message}`);
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      setError('The payload must be a JSON object');
      return;
    }
    startTransition(async () => {
      const result = await sendTestEventAction({
        hubId,
        webhookId,
        name: eventName,
        payload: parsed as Record<string, unknown>,
      });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      toast(testEventMessage(result.data.sequenceId, result.data.status));
      onClose();
      if (result.data.deliveryId) router.push(path(`/webhooks/${webhookId}/activity/${result.data.deliveryId}`));
    });
  };

  return (
    <Dialog
      open
      wide
      onClose={onClose}
      title="Send test event"
      description={
        note ??
        'Sends an event to this webhook only, through the normal pipeline: filters, templates, signing and retries apply.'
      }
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={send} disabled={pending}>
            {pending ? <Spinner /> : null}
            Send event
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field id={`${id}-event`} label="Trigger">
            <Select id={`${id}-event`} value={eventName} onChange={(event) => choose(event.target.value, 0)}>
              {subscribed.length > 0 ? (
                <optgroup label="This webhook's triggers">
                  {subscribed.map((option) => (
                    <option key={option.name} value={option.name}>
                      {option.label}
                    </option>
                  ))}
                </optgroup>
              ) : null}
              <optgroup label={subscribed.length > 0 ? 'Other events' : 'Events'}>
                {others.map((option) => (
                  <option key={option.name} value={option.name}>
                    {option.label}
                  </option>
                ))}
              </optgroup>
            </Select>
          </Field>
          <Field id={`${id}-sample`} label="Sample">
            <Select
              id={`${id}-sample`}
              value={sampleIndex}
              onChange={(event) => choose(eventName, Number(event.target.value))}
              disabled={(entry?.samples.length ?? 0) < 2}
            >
              {entry?.samples.map((sample, index) => (
                <option key={sample.label} value={index}>
                  {sample.label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Field
          id={`${id}-payload`}
          label="Payload"
          hint="The event's payload (the envelope's sequenceId, id and name are set by Herald). Edit it to test your filters."
        >
          <Textarea
            id={`${id}-payload`}
            value={payload}
            onChange={(event) => setPayload(event.target.value)}
            rows={14}
            spellCheck={false}
            // JSON is not wrapped mid-value: long lines scroll sideways inside the box.
            wrap="off"
            className="overflow-x-auto font-mono text-xs whitespace-pre"
          />
        </Field>
        <div aria-live="polite">{error ? <Alert tone="danger">{error}</Alert> : null}</div>
      </div>
    </Dialog>
  );
}
