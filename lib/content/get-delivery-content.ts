import { prisma } from '../db/client';
import { toDeliveryContent } from './delivery-shape';
import { inlineLinkedItems } from './linked-items';
import { localizeContent } from './locale';
import type { JsonObject } from './schemas';

export interface DeliveryContentQuery {
  /** Without a hub, the item is looked up in every hub (ids are UUIDs). */
  hubId?: string;
  id: string;
  /** The delivery API's `locale` parameter; without it localized fields are returned whole. */
  locale?: string;
}

type Db = ReturnType<typeof prisma>;

/**
 * A content item as Herald's content delivery API returns it (`depth=all&format=inlined`), from
 * the latest version Herald has seen in content-item.* events; `null` when Herald has not seen it.
 */
export async function getDeliveryContent(
  query: DeliveryContentQuery,
  db: Db = prisma(),
): Promise<{ content: JsonObject } | null> {
  const item = query.hubId
    ? await db.contentItem.findUnique({ where: { hubId_id: { hubId: query.hubId, id: query.id } } })
    : await db.contentItem.findFirst({ where: { id: query.id }, orderBy: { lastModifiedDate: 'desc' } });
  if (!item) return null;

  const hubId = item.hubId;
  const inlined = await inlineLinkedItems(item.id, toDeliveryContent(item), async (ids) => {
    const linked = await db.contentItem.findMany({ where: { hubId, id: { in: ids } } });
    return new Map(linked.map((row) => [row.id, toDeliveryContent(row)]));
  });
  const content = query.locale ? (localizeContent(inlined, query.locale) as JsonObject) : inlined;
  return { content };
}
