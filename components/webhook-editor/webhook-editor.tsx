'use client';

import { useRouter } from 'next/navigation';
import { startTransition, useActionState, useEffect, useRef, useState } from 'react';
import { useHub } from '@/components/layout/use-hub';
import type { CatalogEntry } from '@/components/test-event/catalog';
import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import { useActionBar, useToast } from '@/components/ui/toast';
import { useHydrated } from '@/components/ui/use-hydrated';
import { createWebhookAction, updateWebhookAction } from '@/lib/actions/webhook-actions';
import type { MailStatus } from '@/lib/notifications/settings';
import { DangerZone } from './danger-zone';
import { DeliverySection } from './delivery-section';
import {
  afterSave,
  type EditableWebhook,
  type EditorState,
  fingerprint,
  initialState,
  localErrors,
  toInput,
} from './editor-state';
import { FiltersSection } from './filters-section';
import { GeneralSection } from './general-section';
import { HeadersSection } from './headers-section';
import { NotificationsSection } from './notifications-section';
import { PayloadSection } from './payload-section';
import { PreviewSection } from './preview-section';
import { SecretSection } from './secret-section';
import { TriggersSection } from './triggers-section';
import { useUnsavedChanges } from './use-unsaved-changes';

type SaveResult = Awaited<ReturnType<typeof updateWebhookAction>> | Awaited<ReturnType<typeof createWebhookAction>>;

function describeField(field: string): string {
  const [head, index] = field.split('.');
  const n = Number(index) + 1;
  switch (head) {
    case 'label':
      return 'Label';
    case 'events':
      return 'Triggers';
    case 'handlers':
      return 'URL';
    case 'method':
      return 'Method';
    case 'filters':
      return Number.isNaN(n) ? 'Filters' : `Filter ${n}`;
    case 'headers':
      return Number.isNaN(n) ? 'Headers' : `Header ${n}`;
    case 'secret':
      return 'Secret';
    case 'customPayload':
      return 'Custom payload';
    case 'notifications':
      return 'Notifications';
    case 'delivery':
      return 'Delivery';
    default:
      return field;
  }
}

/** Create and edit a webhook on one page, section by section, as the seeds show. */
export function WebhookEditor({
  webhook,
  catalog,
  mail,
}: {
  webhook: EditableWebhook | null;
  catalog: CatalogEntry[];
  mail: MailStatus;
}) {
  const router = useRouter();
  const { hubId, path } = useHub();
  const toast = useToast();
  // Before hydration a click would submit the bare HTML form and lose the edits.
  const hydrated = useHydrated();
  const [state, setState] = useState<EditorState>(() => initialState(webhook));
  const [baseline, setBaseline] = useState(() => fingerprint(state));
  // The saved addresses and whether each is confirmed: from the page, then from each save's answer.
  const [savedAddresses, setSavedAddresses] = useState(() => webhook?.notifications ?? []);
  const summary = useRef<HTMLDivElement>(null);
  const actionBar = useRef<HTMLDivElement>(null);
  useActionBar(actionBar);
  const dirty = fingerprint(state) !== baseline;
  useUnsavedChanges(dirty);

  const [result, save, saving] = useActionState(async (_previous: SaveResult | null, snapshot: EditorState) => {
    const refused = localErrors(snapshot);
    if (refused.length > 0) return { ok: false as const, message: 'Some fields need attention', fieldErrors: refused };
    const input = toInput(snapshot);
    const outcome = webhook
      ? await updateWebhookAction({ hubId, id: webhook.id, patch: input })
      : await createWebhookAction({ hubId, input });
    if (outcome.ok) {
      const saved = afterSave(snapshot);
      setState(saved);
      setBaseline(fingerprint(saved));
      setSavedAddresses(outcome.data.notifications);
      toast(webhook ? 'Webhook saved' : 'Webhook created');
      if (!webhook) router.push(path(`/webhooks/${outcome.data.id}`));
    }
    return outcome;
  }, null);

  useEffect(() => {
    if (result && !result.ok) summary.current?.focus();
  }, [result]);

  const update = (patch: Partial<EditorState>) => setState((current) => ({ ...current, ...patch }));
  const errors = result && !result.ok ? result.fieldErrors : [];

  return (
    <form
      noValidate
      aria-label={webhook ? 'Edit webhook' : 'Create webhook'}
      onSubmit={(event) => {
        event.preventDefault();
        startTransition(() => save(state));
      }}
      className="space-y-5"
    >
      <div ref={summary} tabIndex={-1} aria-live="assertive" className="outline-none">
        {result && !result.ok ? (
          <Alert tone="danger" title={result.message}>
            {errors.length > 0 ? (
              <ul className="list-disc space-y-0.5 pl-5">
                {errors.map((error) => (
                  <li key={`${error.field}-${error.message}`}>
                    {describeField(error.field)}: {error.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
      </div>
      <GeneralSection state={state} update={update} errors={errors} />
      <TriggersSection
        catalog={catalog}
        events={state.events}
        onChange={(events) => update({ events })}
        errors={errors}
      />
      <FiltersSection
        catalog={catalog}
        events={state.events}
        filters={state.filters}
        onChange={(filters) => update({ filters })}
        errors={errors}
      />
      <DeliverySection state={state} update={update} errors={errors} />
      <HeadersSection headers={state.headers} onChange={(headers) => update({ headers })} errors={errors} />
      <SecretSection
        webhookId={webhook?.id ?? null}
        initialSecret={webhook?.secret ?? null}
        customSecret={state.customSecret}
        onCustomSecret={(customSecret) => update({ customSecret })}
        errors={errors}
      />
      <PayloadSection state={state} update={update} errors={errors} />
      <PreviewSection state={state} catalog={catalog} />
      <NotificationsSection
        email={state.notificationEmail}
        saved={savedAddresses}
        onChange={(notificationEmail) => update({ notificationEmail })}
        mail={mail}
        errors={errors}
      />
      {webhook ? (
        <DangerZone id={webhook.id} label={webhook.label} onDeleted={() => setBaseline(fingerprint(state))} />
      ) : null}
      <div
        ref={actionBar}
        className="sticky bottom-0 z-20 -mx-4 border-t border-zinc-200 bg-white/95 px-4 py-3 backdrop-blur sm:-mx-6 sm:px-6"
      >
        <div className="flex flex-wrap items-center justify-end gap-3">
          <p className="mr-auto text-sm text-zinc-600" aria-live="polite">
            {dirty ? (
              <span className="inline-flex items-center gap-1.5">
                <span aria-hidden="true" className="h-2 w-2 rounded-full bg-amber-500" />
                Unsaved changes
              </span>
            ) : webhook ? (
              'All changes saved'
            ) : (
              ''
            )}
          </p>
          <ButtonLink href={path('/webhooks')}>Cancel</ButtonLink>
          <SubmitButton disabled={!hydrated} pending={saving} pendingLabel={webhook ? 'Saving…' : 'Creating…'}>
            {webhook ? 'Save changes' : 'Create webhook'}
          </SubmitButton>
        </div>
      </div>
    </form>
  );
}
