import { Section } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { MAX_DEBOUNCE_SECONDS } from '@/lib/event-keys/delivery-mode';
import type { EditorSectionProps } from './editor-state';

const DEFAULT_KEY = '$.payload.id (snapshots: $.payload.rootContentItem.id)';

/** Every event, or only the newest version per content item, with an optional debounce. */
export function DeliverySection({ state, update, errors }: EditorSectionProps) {
  const latest = state.deliveryMode === 'latest';
  const debounceErrors = errorsFor(errors, 'delivery.debounceSeconds');
  const keyErrors = errorsFor(errors, 'delivery.key');
  return (
    <Section
      id="delivery"
      title="Delivery"
      description="Send every event, or only the newest version of each content item: for a search indexer or a site rebuild."
    >
      <div className="space-y-4">
        <Field
          id="deliveryMode"
          label="Mode"
          errors={errorsFor(errors, 'delivery.mode')}
          hint={
            latest
              ? 'A newer event for the same key makes older ones still waiting or retrying "Not sent (superseded)", and an older version is never sent after a newer one.'
              : 'Each event is delivered, retried on its own.'
          }
        >
          <Select
            id="deliveryMode"
            value={state.deliveryMode}
            onChange={(event) => update({ deliveryMode: event.target.value === 'latest' ? 'latest' : 'every' })}
            className="sm:w-80"
          >
            <option value="every">Every event</option>
            <option value="latest">Latest version per content item</option>
          </Select>
        </Field>
        {latest ? (
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-[12rem_minmax(0,1fr)]">
            <Field
              id="debounceSeconds"
              label="Debounce (seconds)"
              errors={debounceErrors}
              hint={`0–${MAX_DEBOUNCE_SECONDS}. Wait until the key has been quiet this long, at most 10 × as long after its first save.`}
            >
              <Input
                id="debounceSeconds"
                type="number"
                inputMode="numeric"
                min={0}
                max={MAX_DEBOUNCE_SECONDS}
                step={1}
                value={state.debounceSeconds}
                onChange={(event) => update({ debounceSeconds: event.target.value })}
                placeholder="0"
                invalid={Boolean(debounceErrors)}
              />
            </Field>
            <Field
              id="deliveryKey"
              label="Key (JSONPath)"
              errors={keyErrors}
              hint="What counts as the same content item. Empty: the default of each event; $.resource keys the whole hub (one rebuild for all saves)."
            >
              <Input
                id="deliveryKey"
                value={state.deliveryKey}
                onChange={(event) => update({ deliveryKey: event.target.value })}
                placeholder={DEFAULT_KEY}
                className="font-mono"
                spellCheck={false}
                maxLength={512}
                invalid={Boolean(keyErrors)}
              />
            </Field>
          </div>
        ) : null}
      </div>
    </Section>
  );
}
