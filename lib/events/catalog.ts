import { z } from 'zod';
import contentItemAssigned from './samples/content-item.assigned.json';
import contentItemCreated from './samples/content-item.created.json';
import contentItemUpdated from './samples/content-item.updated.json';
import contentItemWorkflowUpdated from './samples/content-item.workflow.updated.json';
import editionPublished from './samples/edition.published.json';
import editionScheduled from './samples/edition.scheduled.json';
import editionUnscheduled from './samples/edition.unscheduled.json';
import snapshotPublishedContentItem from './samples/snapshot.published.content-item.json';
import snapshotPublishedEdition from './samples/snapshot.published.edition.json';

/** The events a content system emits and a webhook can subscribe to, as the seeds document them. */

export const EVENT_NAMES = [
  'dynamic-content.edition.scheduled',
  'dynamic-content.edition.unscheduled',
  'dynamic-content.edition.published',
  'dynamic-content.snapshot.published',
  'dynamic-content.content-item.created',
  'dynamic-content.content-item.updated',
  'dynamic-content.content-item.workflow.updated',
  'dynamic-content.content-item.assigned',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export interface FilterSnippet {
  label: string;
  jsonPath: string;
  /** A snippet for a `changed` filter (sent when the value differs from the key's previous event); else `equal`. */
  type?: 'changed';
}

export interface EventSample {
  label: string;
  envelope: EventEnvelope;
}

export interface EventEnvelope {
  sequenceId: number;
  id: string;
  name: string;
  requestId: string;
  resource: string;
  payload: Record<string, unknown>;
}

export interface EventDefinition {
  name: EventName;
  label: string;
  description: string;
  /** The documented sample; the first is the default for "Send test event" and previews. */
  samples: EventSample[];
  filterSnippets: FilterSnippet[];
}

const EDITION_SNIPPETS: FilterSnippet[] = [
  { label: 'edition id', jsonPath: '$.payload.id' },
  { label: 'edition name', jsonPath: '$.payload.name' },
  { label: 'event id', jsonPath: '$.payload.eventId' },
  { label: 'publishing status', jsonPath: '$.payload.publishingStatus' },
  { label: 'edition dates changed', jsonPath: "$.payload['start','end']", type: 'changed' },
];

const CONTENT_ITEM_SNIPPETS: FilterSnippet[] = [
  { label: 'content item id', jsonPath: '$.payload.id' },
  { label: 'content item schema', jsonPath: '$.payload.body._meta.schema' },
  { label: 'content item status', jsonPath: '$.payload.status' },
  { label: 'content repository id', jsonPath: '$.payload.contentRepositoryId' },
  { label: 'locale', jsonPath: '$.payload.locale' },
  { label: 'slug changed', jsonPath: '$.payload.body.slug', type: 'changed' },
  { label: 'delivery key changed', jsonPath: '$.payload.body._meta.deliveryKey', type: 'changed' },
  { label: 'body changed', jsonPath: '$.payload.body', type: 'changed' },
];

const sample = (label: string, envelope: unknown): EventSample => ({ label, envelope: envelope as EventEnvelope });

export const EVENT_CATALOG: readonly EventDefinition[] = [
  {
    name: 'dynamic-content.edition.scheduled',
    label: 'Edition scheduled',
    description:
      'An edition is scheduled. The payload holds its name, comment, start and end dates, event id and whether content expires at the end date.',
    samples: [sample('Edition scheduled', editionScheduled)],
    filterSnippets: EDITION_SNIPPETS,
  },
  {
    name: 'dynamic-content.edition.unscheduled',
    label: 'Edition unscheduled',
    description: 'An edition is unscheduled and goes back to Draft. The payload holds its name, dates and event id.',
    samples: [sample('Edition unscheduled', editionUnscheduled)],
    filterSnippets: EDITION_SNIPPETS,
  },
  {
    name: 'dynamic-content.edition.published',
    label: 'Edition published',
    description: 'An edition is published on its start date. The payload holds its id, name, comment and dates.',
    samples: [sample('Edition published', editionPublished)],
    filterSnippets: EDITION_SNIPPETS,
  },
  {
    name: 'dynamic-content.snapshot.published',
    label: 'Snapshot published',
    description:
      'A content item is published, or an edition is published on its start date. "createdFrom" says which ("content-item" or "edition").',
    samples: [
      sample('Snapshot published (content item)', snapshotPublishedContentItem),
      sample('Snapshot published (edition)', snapshotPublishedEdition),
    ],
    filterSnippets: [
      { label: 'snapshot schema id', jsonPath: '$.payload.rootContentItem.contentTypeUri' },
      { label: 'created from', jsonPath: '$.payload.createdFrom' },
      { label: 'root content item id', jsonPath: '$.payload.rootContentItem.id' },
      { label: 'snapshot locale', jsonPath: '$.payload.locale' },
      { label: 'root content item label changed', jsonPath: '$.payload.rootContentItem.label', type: 'changed' },
    ],
  },
  {
    name: 'dynamic-content.content-item.created',
    label: 'Content item created',
    description:
      'A content item is created. The payload holds its body (with linked items), version, folder, repository and workflow status.',
    samples: [sample('Content item created', contentItemCreated)],
    filterSnippets: CONTENT_ITEM_SNIPPETS,
  },
  {
    name: 'dynamic-content.content-item.updated',
    label: 'Content item updated',
    description:
      'A content item is saved, published or unpublished. The payload holds its body, version and publishing status (NONE, EARLY, LATEST, UNPUBLISHED).',
    samples: [sample('Content item updated', contentItemUpdated)],
    filterSnippets: [...CONTENT_ITEM_SNIPPETS, { label: 'publishing status', jsonPath: '$.payload.publishingStatus' }],
  },
  {
    name: 'dynamic-content.content-item.workflow.updated',
    label: 'Content item workflow updated',
    description: "A content item's workflow status is added or changed. The payload holds the new state id and label.",
    samples: [sample('Content item workflow updated', contentItemWorkflowUpdated)],
    filterSnippets: [
      ...CONTENT_ITEM_SNIPPETS,
      { label: 'workflow state', jsonPath: '$.payload.workflow.state' },
      { label: 'workflow status label', jsonPath: '$.payload.workflowStatusLabel' },
    ],
  },
  {
    name: 'dynamic-content.content-item.assigned',
    label: 'Content item assignee updated',
    description: 'The assignees of a content item are added or changed. The payload holds the ids of the assignees.',
    samples: [sample('Content item assignee updated', contentItemAssigned)],
    filterSnippets: [...CONTENT_ITEM_SNIPPETS, { label: 'assignee', jsonPath: '$.payload.assignees[*]' }],
  },
];

const BY_NAME = new Map<string, EventDefinition>(EVENT_CATALOG.map((definition) => [definition.name, definition]));

export function isEventName(name: string): name is EventName {
  return BY_NAME.has(name);
}

export function eventDefinition(name: string): EventDefinition | undefined {
  return BY_NAME.get(name);
}

/** Snippets for the chosen triggers, each path once, in catalog order. */
export function snippetsFor(names: readonly string[]): FilterSnippet[] {
  const seen = new Set<string>();
  const snippets: FilterSnippet[] = [];
  for (const name of names) {
    for (const snippet of BY_NAME.get(name)?.filterSnippets ?? []) {
      const key = `${snippet.label}|${snippet.jsonPath}|${snippet.type ?? 'equal'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      snippets.push(snippet);
    }
  }
  return snippets;
}

// A refinement rather than z.enum, for its message listing the events; the JSON Schema (the OpenAPI
// document) still names them.
export const ZEventName = z
  .string({ error: 'an event name is required' })
  .superRefine((name, ctx) => {
    if (!isEventName(name)) {
      ctx.addIssue({ code: 'custom', message: `unknown event "${name}"; known events: ${EVENT_NAMES.join(', ')}` });
    }
  })
  .meta({ enum: [...EVENT_NAMES] });
