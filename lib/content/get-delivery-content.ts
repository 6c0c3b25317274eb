import { prisma } from '../db/client';
import { toDeliveryContent } from './delivery-shape';
import { type InlineOptions, inlineLinkedItems } from './linked-items';
import { localizeContent } from './locale';
import { isJsonObject, type JsonObject } from './schemas';

export interface DeliveryContentQuery {
  /** Content is kept per hub: an item is only found in the hub whose events carried it. */
  hubId: string;
  id: string;
  /** The delivery API's `locale` parameter; without it localized fields are returned whole. */
  locale?: string;
}

type Db = ReturnType<typeof prisma>;

/**
 * A content item as Herald's content delivery API returns it (`depth=all&format=inlined`), from
 * the latest version Herald has seen in content-item.* events of the hub; `null` when Herald has
 * not seen it there. Every lookup is by the table's primary key (hub, id). Throws
 * ContentTooLargeError when the item with its linked items would exceed the answer's size limit.
 */
export async function getDeliveryContent(
  query: DeliveryContentQuery,
  db: Db = prisma(),
  options: InlineOptions = {},
): Promise<{ content: JsonObject } | null> {
  const { hubId } = query;
  const item = await db.contentItem.findUnique({ where: { hubId_id: { hubId, id: query.id } } });
  if (!item) return null;

  const load = async (ids: string[]) => {
    const linked = await db.contentItem.findMany({ where: { hubId, id: { in: ids } } });
    return new Map(linked.map((row) => [row.id, toDeliveryContent(row)]));
  };
  const inlined = await inlineLinkedItems(item.id, toDeliveryContent(item), load, options);
  if (!query.locale) return { content: inlined };
  const localized = localizeContent(inlined, query.locale);
  return { content: isJsonObject(localized) ? localized : inlined };
}
