import { EVENT_CATALOG } from '@/lib/events/catalog';

/** What client components need of the event catalog: plain, serialisable data. */
export interface CatalogEntry {
  name: string;
  label: string;
  description: string;
  samples: { label: string; payload: string }[];
  snippets: { label: string; jsonPath: string; type?: 'changed' }[];
}

export function catalogForClient(): CatalogEntry[] {
  return EVENT_CATALOG.map((definition) => ({
    name: definition.name,
    label: definition.label,
    description: definition.description,
    samples: definition.samples.map((sample) => ({
      label: sample.label,
      payload: JSON.stringify(sample.envelope.payload, null, 2),
    })),
    snippets: definition.filterSnippets,
  }));
}
