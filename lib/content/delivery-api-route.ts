import { z } from 'zod';
import { type DeliveryContentQuery, getDeliveryContent } from './get-delivery-content';
import type { JsonObject } from './schemas';

/**
 * `GET /content/id/{id}?depth=all&format=inlined[&locale=][&hubId=]`: Herald's content delivery
 * API, answering `{ "content": … }` from the content items it has seen in events. Herald always
 * inlines linked items at any depth, so `depth` and `format` may be left out but cannot ask for
 * anything else. Without `hubId` the item is looked up in every hub.
 */
const ZDeliveryQuery = z.object({
  depth: z
    .literal('all', { error: 'depth must be "all": Herald always returns linked items at every depth' })
    .optional(),
  format: z.literal('inlined', { error: 'format must be "inlined": Herald always inlines linked items' }).optional(),
  locale: z.string().trim().min(1).max(256).optional(),
  hubId: z.string().min(1).max(24).optional(),
});

const ZContentItemId = z.string().min(1).max(64);

type GetContent = (query: DeliveryContentQuery) => Promise<{ content: JsonObject } | null>;

function json(status: number, body: unknown): Response {
  // Content changes with every content-item event: never let a proxy keep an old copy.
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

export async function handleContentDeliveryRequest(
  request: Request,
  id: string,
  getContent: GetContent = (query) => getDeliveryContent(query),
): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const query = ZDeliveryQuery.safeParse(Object.fromEntries(params));
  if (!query.success) return json(400, { error: query.error.issues.map((issue) => issue.message).join('; ') });
  const itemId = ZContentItemId.safeParse(id);
  if (!itemId.success) return json(400, { error: 'The content item id must be 1 to 64 characters' });

  let found: { content: JsonObject } | null;
  try {
    found = await getContent({ id: itemId.data, hubId: query.data.hubId, locale: query.data.locale });
  } catch (error) {
    console.error('[content] delivery API lookup failed:', error);
    return json(500, { error: 'The content store could not be read' });
  }
  return found
    ? json(200, { content: found.content })
    : json(404, { error: `Content item "${itemId.data}" not found` });
}
