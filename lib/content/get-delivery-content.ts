import type pg from 'pg';
import { database } from '../db/client';
import { withContentReader } from './content-store-reader';
import { toDeliveryContent } from './delivery-shape';
import { type InlineOptions, inlineLinkedItems } from './linked-items';
import type { LoadControl } from './load-control';
import { localizeContent } from './locale';
import { isJsonObject, type JsonObject } from './schemas';

export interface DeliveryContentQuery {
  /** Content is kept per hub: an item is only found in the hub whose events carried it. */
  hubId: string;
  id: string;
  /** The delivery API's `locale` parameter; without it localized fields are returned whole. */
  locale?: string;
}

export interface DeliveryContentOptions extends InlineOptions, LoadControl {
  /** The process-wide pool by default. */
  pool?: pg.Pool;
}

/**
 * A content item as Herald's content delivery API returns it (`depth=all&format=inlined`), from
 * the latest version Herald has seen in content-item.* events of the hub; `null` when Herald has
 * not seen it there. Every lookup is by the table's primary key (hub, id), on one connection, and
 * is cancelled in the database when `signal` aborts. Throws ContentTooLargeError when the item
 * with its linked items would exceed the answer's size limit.
 */
export async function getDeliveryContent(
  query: DeliveryContentQuery,
  options: DeliveryContentOptions = {},
): Promise<{ content: JsonObject } | null> {
  const { pool = database().pool, signal, onBytes, bytesLeft, maxBytes } = options;
  const inlined = await withContentReader(pool, query.hubId, { signal, onBytes, bytesLeft }, async (read) => {
    const item = (await read([query.id])).get(query.id);
    if (!item) return null;
    const load = async (ids: string[]) => {
      const linked = await read(ids);
      return new Map([...linked.values()].map((row) => [row.id, toDeliveryContent(row)]));
    };
    return inlineLinkedItems(item.id, toDeliveryContent(item), load, { maxBytes });
  });
  if (!inlined) return null;
  if (!query.locale) return { content: inlined };
  const localized = localizeContent(inlined, query.locale);
  return { content: isJsonObject(localized) ? localized : inlined };
}
