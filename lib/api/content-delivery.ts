import { z } from 'zod';
import { getDeliveryContent } from '../content/get-delivery-content';
import { ContentTooLargeError } from '../content/linked-items';
import { NotFoundError, parseInput } from '../errors';
import { getHub } from '../hubs/hubs';
import { HttpError, json } from './http';
import { WIRE } from './route-helpers';
import { requireHubAccess, route } from './route-types';
import type { ZContentAnswer } from './wire-resources';

const ZDeliveryQuery = z.object({
  hubId: z
    .string({ error: 'hubId is required: content is served per hub' })
    .min(1, 'hubId is required: content is served per hub')
    .max(24, 'hubId may be at most 24 characters'),
  depth: z
    .literal('all', { error: 'depth must be "all": Herald always returns linked items at every depth' })
    .optional(),
  format: z.literal('inlined', { error: 'format must be "inlined": Herald always inlines linked items' }).optional(),
  locale: z.string().trim().min(1).max(256).optional().describe('A locale (en-GB): localized fields in it only'),
});

const ZContentItemId = z.object({
  id: z.string().min(1).max(64, 'the content item id may be at most 64 characters'),
});

/**
 * `GET /content/id/{id}?hubId=…[&depth=all&format=inlined][&locale=]`: Herald's content delivery
 * API over the content items it has seen in the hub's events, for API clients (bearer token, as
 * every API route). Each linked item is inlined once and the answer is capped (see
 * lib/content/linked-items.ts). Webhook templates do not come through here: the worker reads the
 * same store in-process, scoped to the delivery's hub.
 */
export const contentDeliveryRoute = route(
  'GET',
  '/content/id/:id',
  {
    scope: 'content:read',
    doc: {
      operationId: 'getContentItem',
      tag: 'Content',
      summary: 'Get a content item, its linked items inlined',
      description:
        "Herald's content delivery API over the content items it has seen in the hub's events: the latest " +
        'version, each linked item inlined once, the answer capped in size.',
      query: ZDeliveryQuery,
      success: { status: 200, description: 'The content item', body: WIRE.content },
      errors: { 422: 'The item with its linked items is over the size Herald answers (CONTENT_TOO_LARGE)' },
    },
  },
  async ({ params, url, grant }) => {
    const query = parseInput(ZDeliveryQuery, Object.fromEntries(url.searchParams));
    const { id } = parseInput(ZContentItemId, params);
    requireHubAccess(grant, query.hubId);
    await getHub(query.hubId);
    let found: Awaited<ReturnType<typeof getDeliveryContent>>;
    try {
      found = await getDeliveryContent({ hubId: query.hubId, id, locale: query.locale });
    } catch (error) {
      if (error instanceof ContentTooLargeError) throw new HttpError(422, 'CONTENT_TOO_LARGE', error.message);
      throw error;
    }
    if (!found) throw new NotFoundError('Content item', id);
    // Content changes with every content-item event: json() already forbids caching.
    const body: z.output<typeof ZContentAnswer> = { content: found.content };
    return json(body);
  },
);
