import { Section } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { WEBHOOK_METHODS, type WebhookMethod } from '@/lib/webhooks/webhook-constants';
import type { EditorSectionProps } from './editor-state';

export function GeneralSection({ state, update, errors }: EditorSectionProps) {
  const urlErrors = [...(errorsFor(errors, 'handlers', true) ?? [])];
  return (
    <Section
      id="general"
      title="Webhook"
      description="A name for the list, and where and how Herald sends the request."
    >
      <div className="space-y-4">
        <Field id="label" label="Label" errors={errorsFor(errors, 'label')}>
          <Input
            id="label"
            value={state.label}
            onChange={(event) => update({ label: event.target.value })}
            maxLength={128}
            placeholder="e.g. Search index updater"
            invalid={Boolean(errorsFor(errors, 'label'))}
          />
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-[9rem_minmax(0,1fr)]">
          <Field id="method" label="Method" errors={errorsFor(errors, 'method')}>
            <Select
              id="method"
              value={state.method}
              onChange={(event) => update({ method: event.target.value as WebhookMethod })}
            >
              {WEBHOOK_METHODS.map((method) => (
                <option key={method} value={method}>
                  {method}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            id="url"
            label="URL"
            errors={urlErrors.length > 0 ? urlErrors : undefined}
            hint={
              <>
                An absolute http(s) URL. Handlebars is allowed, e.g.{' '}
                <code className="rounded bg-zinc-100 px-1 font-mono">
                  {'https://api.example.com/items/{{payload.id}}'}
                </code>
              </>
            }
          >
            <Input
              id="url"
              type="text"
              inputMode="url"
              value={state.url}
              onChange={(event) => update({ url: event.target.value })}
              placeholder="https://example.com/webhooks/herald"
              className="font-mono"
              spellCheck={false}
              invalid={urlErrors.length > 0}
            />
          </Field>
        </div>
        <Field
          id="rateLimit"
          label="Rate limit"
          errors={errorsFor(errors, 'rateLimit')}
          hint="Deliveries per second at most, across all workers: they start 1/rate s apart. Empty: no limit. Deliveries not yet due to start wait in the queue."
        >
          <Input
            id="rateLimit"
            type="number"
            inputMode="numeric"
            min={1}
            max={10000}
            step={1}
            value={state.rateLimit}
            onChange={(event) => update({ rateLimit: event.target.value })}
            placeholder="No limit"
            className="sm:w-40"
            invalid={Boolean(errorsFor(errors, 'rateLimit'))}
          />
        </Field>
      </div>
    </Section>
  );
}
