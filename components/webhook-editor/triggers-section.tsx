import type { CatalogEntry } from '@/components/test-event/catalog';
import { Section } from '@/components/ui/card';
import { FieldError } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import type { Errors } from './editor-state';

export function TriggersSection({
  catalog,
  events,
  onChange,
  errors,
}: {
  catalog: CatalogEntry[];
  events: string[];
  onChange: (events: string[]) => void;
  errors: Errors;
}) {
  const toggle = (name: string, checked: boolean) =>
    onChange(
      checked
        ? catalog.map((e) => e.name).filter((n) => n === name || events.includes(n))
        : events.filter((n) => n !== name),
    );
  return (
    <Section id="triggers" title="Webhook triggers" description="The events that send this webhook.">
      <fieldset>
        <legend className="sr-only">Webhook triggers</legend>
        <div className="grid grid-cols-1 gap-2 md:grid-cols-2">
          {catalog.map((entry) => {
            const id = `trigger-${entry.name}`;
            const checked = events.includes(entry.name);
            return (
              <label
                key={entry.name}
                htmlFor={id}
                className={`flex cursor-pointer gap-3 rounded-md border p-3 transition-colors ${
                  checked ? 'border-indigo-300 bg-indigo-50/60' : 'border-zinc-200 hover:bg-zinc-50'
                }`}
              >
                <input
                  id={id}
                  type="checkbox"
                  checked={checked}
                  onChange={(event) => toggle(entry.name, event.target.checked)}
                  className="mt-0.5 h-4 w-4 shrink-0 accent-indigo-600"
                />
                <span className="min-w-0">
                  <span className="block font-medium text-zinc-900">{entry.label}</span>
                  <span className="block text-xs text-zinc-600">{entry.description}</span>
                  <span className="mt-0.5 block truncate font-mono text-[11px] text-zinc-400">{entry.name}</span>
                </span>
              </label>
            );
          })}
        </div>
        <FieldError messages={errorsFor(errors, 'events', true)} />
      </fieldset>
    </Section>
  );
}
