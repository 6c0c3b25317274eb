/** A 1 KB handlebars template over content-item.updated, for the custom-payload run. */
export const CUSTOM_TEMPLATE = `{
  "type": "{{name}}",
  "emittedAt": {{payload.emittedAt}},
  "sequence": {{sequenceId}},
  "item": {
    "id": "{{payload.id}}",
    "label": "{{payload.label}}",
    "version": {{payload.version}},
    "schema": "{{payload.body._meta.schema}}",
    "deliveryKey": {{#if payload.body._meta.deliveryKey}}"{{payload.body._meta.deliveryKey}}"{{else}}null{{/if}},
    "headline": "{{payload.body.headline}}",
    "strapline": "{{payload.body.strapline}}",
    "cta": { "text": "{{payload.body.calltoactiontext}}", "url": "{{payload.body.calltoactionurl}}" },
    "image": "https://{{payload.body.background.defaultHost}}/i/{{payload.body.background.endpoint}}/{{payload.body.background.name}}",
    "status": "{{lowercase payload.publishingStatus}}",
    "published": {{#eq payload.publishingStatus "LATEST"}}true{{else}}false{{/eq}},
    "repository": "{{payload.repositoryLabel}}",
    "modified": "{{payload.lastModifiedDate}}",
    "links": [{{#each payload._links}}"{{@key}}"{{#unless @last}}, {{/unless}}{{/each}}]
  }
}`;
