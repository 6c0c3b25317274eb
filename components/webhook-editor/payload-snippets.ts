/** The "Snippets" menu of the custom payload: common handlebars for the standard payload's fields. */
export const PAYLOAD_SNIPPETS: { label: string; text: string }[] = [
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
  {
    label: 'Fetch the content item (withDeliveryContentItem)',
    text: '{{#withDeliveryContentItem contentItemId=payload.id account="myaccount" stagingEnvironment=""}}\n{{{JSONstringify this}}}\n{{/withDeliveryContentItem}}',
  },
];
