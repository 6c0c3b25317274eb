import type { CatalogEntry } from '@/components/test-event/catalog';
import { Button } from '@/components/ui/button';
import { Section } from '@/components/ui/card';
import { FieldError, Input, Select } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { Menu } from '@/components/ui/menu';
import { MAX_FILTERS } from '@/lib/filters/limits';
import { type Errors, type FilterRow, uid } from './editor-state';
import { filterPathMessages } from './filter-path-messages';

function snippetsFor(catalog: CatalogEntry[], events: string[]) {
  const seen = new Set<string>();
  return catalog
    .filter((entry) => events.includes(entry.name))
    .flatMap((entry) => entry.snippets)
    .filter((snippet) => {
      const key = `${snippet.label}|${snippet.jsonPath}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const emptyFilter = (jsonPath = '', type: FilterRow['type'] = 'equal'): FilterRow => ({
  uid: uid('filter'),
  type,
  jsonPath,
  value: '',
  values: [''],
});

export function FiltersSection({
  catalog,
  events,
  filters,
  onChange,
  errors,
}: {
  catalog: CatalogEntry[];
  events: string[];
  filters: FilterRow[];
  onChange: (filters: FilterRow[]) => void;
  errors: Errors;
}) {
  const set = (index: number, patch: Partial<FilterRow>) =>
    onChange(filters.map((filter, i) => (i === index ? { ...filter, ...patch } : filter)));
  const full = filters.length >= MAX_FILTERS;
  const addSnippet = (jsonPath: string, type: FilterRow['type'] = 'equal') => {
    const last = filters.at(-1);
    // An empty last row takes the path; a `changed` snippet also sets its operator.
    if (last && last.jsonPath.trim() === '')
      set(filters.length - 1, type === 'changed' ? { jsonPath, type } : { jsonPath });
    else if (!full) onChange([...filters, emptyFilter(jsonPath, type)]);
  };

  return (
    <Section
      id="filters"
      title="Filters"
      description="Send the webhook only when the event matches. All filters must match."
      actions={
        <>
          <Menu
            label="Add snippet"
            align="right"
            emptyText="Choose a trigger to see its snippets"
            items={snippetsFor(catalog, events).map((snippet) => ({
              label: snippet.label,
              description: snippet.type === 'changed' ? `${snippet.jsonPath} (changed)` : snippet.jsonPath,
              onSelect: () => addSnippet(snippet.jsonPath, snippet.type),
            }))}
          />
          <Button size="sm" onClick={() => onChange([...filters, emptyFilter()])} disabled={full}>
            Add filter
          </Button>
        </>
      }
    >
      {filters.length === 0 ? (
        <p className="text-sm text-zinc-500">No filters: every event of the chosen triggers is sent.</p>
      ) : (
        <ol className="space-y-3">
          {filters.map((filter, index) => (
            <FilterEditor
              key={filter.uid}
              index={index}
              filter={filter}
              errors={errors}
              onChange={(patch) => set(index, patch)}
              onRemove={() => onChange(filters.filter((_, i) => i !== index))}
            />
          ))}
        </ol>
      )}
      <FieldError messages={errorsFor(errors, 'filters')} />
      <p className="mt-3 text-xs text-zinc-500">
        Paths use JSONPath on the standard payload, e.g. <code className="font-mono">$.payload.id</code>: names,
        indexes, <code className="font-mono">[*]</code>, slices and at most one <code className="font-mono">..</code>,
        without filter expressions. Values must match exactly. A filter whose path is not found in the event is ignored,
        and the webhook is sent if the other filters match; a path that is not valid cannot be saved.{' '}
        <strong className="font-medium text-zinc-600">Changed</strong> matches when the value differs from the previous
        event of the same content item or edition (the first one counts as changed).
      </p>
    </Section>
  );
}

function FilterEditor({
  index,
  filter,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  filter: FilterRow;
  errors: Errors;
  onChange: (patch: Partial<FilterRow>) => void;
  onRemove: () => void;
}) {
  const base = `filters.${index}`;
  const pathErrors = filterPathMessages(filter.jsonPath, errorsFor(errors, `${base}.arguments.0.jsonPath`, true));
  const valueErrors = [
    ...(errorsFor(errors, `${base}.arguments.1`, true) ?? []),
    ...(errorsFor(errors, `${base}.type`) ?? []),
    ...(errorsFor(errors, base) ?? []),
    ...(errorsFor(errors, `${base}.arguments`) ?? []),
  ];
  const n = index + 1;
  return (
    <li className="rounded-md border border-zinc-200 bg-zinc-50/60 p-3" data-testid="filter-row">
      <div className="grid grid-cols-1 gap-3 md:grid-cols-[minmax(0,1.3fr)_8.5rem_minmax(0,1.5fr)_auto] md:items-start">
        <div>
          <label htmlFor={`filter-${n}-path`} className="mb-1 block text-xs font-medium text-zinc-600">
            JSON path
          </label>
          <Input
            id={`filter-${n}-path`}
            aria-label={`Filter ${n} JSON path`}
            value={filter.jsonPath}
            onChange={(event) => onChange({ jsonPath: event.target.value })}
            placeholder="$.payload.id"
            className="font-mono"
            spellCheck={false}
            invalid={Boolean(pathErrors)}
          />
          <FieldError messages={pathErrors} />
        </div>
        <div>
          <label htmlFor={`filter-${n}-type`} className="mb-1 block text-xs font-medium text-zinc-600">
            Operator
          </label>
          <Select
            id={`filter-${n}-type`}
            aria-label={`Filter ${n} operator`}
            value={filter.type}
            onChange={(event) => {
              const type = event.target.value as FilterRow['type'];
              onChange(
                type === 'in'
                  ? { type, values: filter.values.some(Boolean) ? filter.values : [filter.value] }
                  : { type, value: filter.value || filter.values[0] || '' },
              );
            }}
          >
            <option value="equal">Equal</option>
            <option value="in">In</option>
            <option value="changed">Changed</option>
          </Select>
        </div>
        <div>
          <span className="mb-1 block text-xs font-medium text-zinc-600">
            {filter.type === 'equal' ? 'Value' : filter.type === 'in' ? 'Values' : 'Compared with'}
          </span>
          {filter.type === 'changed' ? (
            <p className="py-2 text-sm text-zinc-600" data-testid="changed-explainer">
              the previous event of the same content item or edition; sent when the value differs
            </p>
          ) : filter.type === 'equal' ? (
            <Input
              aria-label={`Filter ${n} value`}
              value={filter.value}
              onChange={(event) => onChange({ value: event.target.value })}
              placeholder="exact value"
              invalid={valueErrors.length > 0}
            />
          ) : (
            <div className="space-y-2">
              {filter.values.map((value, i) => (
                <div key={`${filter.uid}-${i}`} className="flex gap-2">
                  <Input
                    aria-label={`Filter ${n} value ${i + 1}`}
                    value={value}
                    onChange={(event) =>
                      onChange({ values: filter.values.map((v, j) => (j === i ? event.target.value : v)) })
                    }
                    invalid={valueErrors.length > 0}
                  />
                  <Button
                    size="icon"
                    variant="ghost"
                    aria-label={`Remove value ${i + 1} of filter ${n}`}
                    disabled={filter.values.length <= 1}
                    onClick={() => onChange({ values: filter.values.filter((_, j) => j !== i) })}
                  >
                    ×
                  </Button>
                </div>
              ))}
              <Button size="sm" variant="ghost" onClick={() => onChange({ values: [...filter.values, ''] })}>
                + Add value
              </Button>
            </div>
          )}
          <FieldError messages={valueErrors.length > 0 ? valueErrors : undefined} />
        </div>
        <div className="md:pt-5">
          <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove filter ${n}`}>
            Remove
          </Button>
        </div>
      </div>
    </li>
  );
}
