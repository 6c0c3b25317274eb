'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { useToast } from '@/components/ui/toast';
import { createHubAction, renameHubAction } from '@/lib/actions/hub-actions';
import { hubNameFromLabel } from '@/lib/hubs/hub-names';
import { hubPath } from '@/lib/hubs/hub-paths';

type Failure = { message: string; fieldErrors: { field: string; message: string }[] };

/** "New hub" (label and API name) and "Rename" (the label; the name API clients may use stays). */
export function HubDialog({
  mode,
  hub,
  section,
  onClose,
}: {
  mode: 'create' | 'rename';
  hub: { id: string; label: string; name: string } | null;
  section: string;
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const [label, setLabel] = useState(hub?.label ?? '');
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<Failure | null>(null);
  const [pending, startTransition] = useTransition();
  const labelErrors = failure ? (errorsFor(failure.fieldErrors, 'label') ?? undefined) : undefined;
  const nameErrors = failure ? errorsFor(failure.fieldErrors, 'name') : undefined;
  const otherError = failure && !labelErrors && !nameErrors ? failure.message : null;

  const submit = () =>
    startTransition(async () => {
      if (mode === 'create') {
        const result = await createHubAction({ label, name });
        if (!result.ok) return setFailure(result);
        toast(`Hub ${result.data.label} created`);
        onClose();
        router.push(hubPath(result.data.id, `/${section}`));
      } else if (hub) {
        const result = await renameHubAction({ hubId: hub.id, label });
        if (!result.ok) return setFailure(result);
        toast(`Hub renamed to ${result.data.label}`);
        onClose();
        router.refresh();
      }
    });

  return (
    <Dialog
      open
      onClose={onClose}
      title={mode === 'create' ? 'New hub' : `Rename ${hub?.label ?? 'hub'}`}
      description={
        mode === 'create'
          ? 'A hub has its own webhooks, events and activity log. API clients reach it by its id.'
          : 'The label is what people see; the hub keeps its id and name, so API clients are not affected.'
      }
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="hub-form" disabled={pending}>
            {mode === 'create' ? 'Create hub' : 'Rename'}
          </Button>
        </>
      }
    >
      <form
        id="hub-form"
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Field id="hub-label" label="Label" errors={labelErrors}>
          <Input
            id="hub-label"
            value={label}
            onChange={(event) => setLabel(event.target.value)}
            maxLength={256}
            required
            autoFocus
            invalid={Boolean(labelErrors)}
          />
        </Field>
        {mode === 'create' ? (
          <Field
            id="hub-name"
            label="Name"
            hint="Lists the hub in the API (GET /v2/content/hubs). Letters, digits, '.', '_' and '-'."
            errors={nameErrors}
          >
            <Input
              id="hub-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder={label ? hubNameFromLabel(label) : 'from the label'}
              maxLength={128}
              invalid={Boolean(nameErrors)}
            />
          </Field>
        ) : null}
        <p aria-live="polite" className="text-sm font-medium text-red-700">
          {otherError}
        </p>
      </form>
    </Dialog>
  );
}
