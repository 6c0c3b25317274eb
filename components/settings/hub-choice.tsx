'use client';

import { FieldError } from '@/components/ui/field';

/** Every hub (null), or only the chosen ones: a client outside its hubs finds them missing (404). */
export function HubChoice({
  hubs,
  currentHubId,
  value,
  onChange,
  errors,
}: {
  hubs: { id: string; label: string }[];
  currentHubId: string;
  value: ReadonlySet<string> | null;
  onChange: (value: ReadonlySet<string> | null) => void;
  errors?: string[];
}) {
  const toggle = (id: string, on: boolean) => {
    const next = new Set(value ?? []);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-800">Hubs</legend>
      <div className="mt-1.5 space-y-2 text-sm">
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="client-hubs"
            className="h-4 w-4 border-zinc-300 text-indigo-600"
            checked={value === null}
            onChange={() => onChange(null)}
          />
          Every hub, including hubs created later
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="client-hubs"
            className="h-4 w-4 border-zinc-300 text-indigo-600"
            checked={value !== null}
            onChange={() => onChange(new Set([currentHubId]))}
          />
          Only these hubs
        </label>
        {value !== null ? (
          <ul className="ml-6 space-y-1.5" aria-label="Hubs the client may reach">
            {hubs.map((hub) => (
              <li key={hub.id}>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    className="h-4 w-4 rounded border-zinc-300 text-indigo-600"
                    checked={value.has(hub.id)}
                    onChange={(event) => toggle(hub.id, event.target.checked)}
                  />
                  {hub.label}
                  <code className="font-mono text-xs text-zinc-500">{hub.id}</code>
                </label>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <FieldError messages={errors} />
    </fieldset>
  );
}
