import { isJsonObject, type JsonObject } from './schemas';

/** What Herald stores per content item (the `content_items` row, as far as delivery needs it). */
export interface StoredContentItem {
  id: string;
  label: string | null;
  schema: string | null;
  body: unknown;
}

/**
 * A stored body as the Content Delivery API v2 returns it: the body's own fields, with `_meta`
 * carrying `name`, `schema`, `deliveryKey` (when set) and `deliveryId` (the item id).
 */
export function toDeliveryContent(item: StoredContentItem): JsonObject {
  const body = isJsonObject(item.body) ? item.body : {};
  const meta = isJsonObject(body._meta) ? body._meta : {};
  const { name, schema, deliveryKey, deliveryId: _stale, ...otherMeta } = meta;
  return {
    ...body,
    _meta: {
      name: name ?? item.label,
      schema: schema ?? item.schema,
      ...(typeof deliveryKey === 'string' && deliveryKey.length > 0 ? { deliveryKey } : {}),
      deliveryId: item.id,
      ...otherMeta,
    },
  };
}
