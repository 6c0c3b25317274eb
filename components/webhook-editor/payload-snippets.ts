/** The "Snippets" menu of the custom payload: common handlebars for the standard payload's fields. */

export interface PayloadSnippet {
  label: string;
  text: string;
}

const COMMON_SNIPPETS: PayloadSnippet[] = [
  { label: 'Whole event as JSON', text: '{{{JSONstringify this}}}' },
  { label: 'Payload as JSON', text: '{{{JSONstringify payload}}}' },
  { label: 'Event name', text: '{{name}}' },
  { label: 'Item id', text: '{{payload.id}}' },
  { label: 'Snapshot root item label', text: '{{payload.rootContentItem.label}}' },
  { label: 'Content item schema', text: '{{payload.body._meta.schema}}' },
  { label: 'A string, JSON-escaped', text: '{{{JSONstringify payload.label}}}' },
  { label: 'If / else', text: '{{#if payload.locale}}"{{payload.locale}}"{{else}}null{{/if}}' },
  {
    label: 'Each (JSON array)',
    text: '[{{#each payload.assignees}}"{{this}}"{{#unless @last}},{{/unless}}{{/each}}]',
  },
  { label: 'URL-encode a value', text: '{{encodeURI payload.id}}' },
  // The previous event of the same key (content item or edition): absent on its first event.
  {
    label: 'Previous version (if any)',
    text: '{{#if previous}}{{{JSONstringify previous.label}}}{{else}}null{{/if}}',
  },
  {
    label: 'What changed (JSON array of paths)',
    text: '[{{#each changes}}"{{this}}"{{#unless @last}},{{/unless}}{{/each}}]',
  },
];

const ACCOUNT = 'account="myaccount" stagingEnvironment=""';

/** Content item events: the payload is the content item, so its id is `payload.id`. */
const FETCH_CONTENT_ITEM: PayloadSnippet = {
  label: 'Fetch the content item (withDeliveryContentItem)',
  text: `{{#withDeliveryContentItem contentItemId=payload.id ${ACCOUNT}}}\n{{{JSONstringify this}}}\n{{/withDeliveryContentItem}}`,
};

/**
 * Snapshot published: the payload is the snapshot (`payload.id` is the snapshot's id, which the
 * seeds say to pass as snapshotId); the item published is `payload.rootContentItem`.
 */
const FETCH_SNAPSHOT_ROOT: PayloadSnippet = {
  label: "Fetch the snapshot's root content item (withDeliveryContentItem)",
  text: `{{#withDeliveryContentItem contentItemId=payload.rootContentItem.id ${ACCOUNT} snapshotId=payload.id}}\n{{{JSONstringify this}}}\n{{/withDeliveryContentItem}}`,
};

/** A snapshot made when an edition is published has no rootContentItem, only rootContentItems. */
const FETCH_SNAPSHOT_ROOTS: PayloadSnippet = {
  label: "Fetch each of the snapshot's root content items (edition published)",
  text: `[{{#each payload.rootContentItems}}\n{{#withDeliveryContentItem contentItemId=id ${ACCOUNT} snapshotId=@root.payload.id}}{{{JSONstringify this}}}{{else}}null{{/withDeliveryContentItem}}{{#unless @last}},{{/unless}}\n{{/each}}]`,
};

const CONTENT_ITEM_EVENT = /^dynamic-content\.content-item\./;
const SNAPSHOT_EVENT = 'dynamic-content.snapshot.published';

/**
 * The snippets for a webhook subscribed to `events`. withDeliveryContentItem needs the id of a
 * content item, which sits in a different place per event; edition events carry an edition, not a
 * content item (its content arrives with the snapshot published event), so they get none. With no
 * event chosen yet, every variant is offered.
 */
export function payloadSnippets(events: readonly string[]): PayloadSnippet[] {
  const any = events.length === 0;
  const snippets = [...COMMON_SNIPPETS];
  if (any || events.some((name) => CONTENT_ITEM_EVENT.test(name))) snippets.push(FETCH_CONTENT_ITEM);
  if (any || events.includes(SNAPSHOT_EVENT)) snippets.push(FETCH_SNAPSHOT_ROOT, FETCH_SNAPSHOT_ROOTS);
  return snippets;
}
