'use client';

import { usePathname, useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';

export interface AuditFilterValues {
  actor: string;
  webhook: string;
  action: string;
}

interface Option {
  value: string;
  label: string;
}

const FIELDS: { name: keyof AuditFilterValues; label: string; any: string }[] = [
  { name: 'actor', label: 'Actor', any: 'Anyone' },
  { name: 'webhook', label: 'Webhook', any: 'Any webhook' },
  { name: 'action', label: 'Action', any: 'Any action' },
];

/**
 * The audit log's filters. They live in the URL, so a filtered view can be shared; a plain GET
 * form underneath, so they work before (or without) JavaScript too.
 */
export function AuditFilters({
  values,
  options,
}: {
  values: AuditFilterValues;
  options: Record<keyof AuditFilterValues, Option[]>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const go = (next: AuditFilterValues) => {
    const params = new URLSearchParams();
    for (const { name } of FIELDS) if (next[name]) params.set(name, next[name]);
    const query = params.toString();
    router.push(query ? `${pathname}?${query}` : pathname);
  };
  const active = FIELDS.some(({ name }) => values[name]);
  return (
    <form
      method="get"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        go({
          actor: String(data.get('actor') ?? ''),
          webhook: String(data.get('webhook') ?? ''),
          action: String(data.get('action') ?? ''),
        });
      }}
    >
      {FIELDS.map(({ name, label, any }) => (
        <div key={name}>
          <label htmlFor={`audit-${name}`} className="mb-1 block text-xs font-medium text-zinc-600">
            {label}
          </label>
          <Select
            id={`audit-${name}`}
            name={name}
            defaultValue={values[name]}
            onChange={(event) => go({ ...values, [name]: event.target.value })}
            className="w-56"
          >
            <option value="">{any}</option>
            {options[name].map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </Select>
        </div>
      ))}
      <noscript>
        <Button type="submit">Filter</Button>
      </noscript>
      {active ? (
        <Button variant="ghost" onClick={() => go({ actor: '', webhook: '', action: '' })}>
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
