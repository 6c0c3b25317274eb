import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDeliveryContent } from '../../../lib/content/get-delivery-content';
import { ContentTooLargeError, MAX_CONTENT_BYTES } from '../../../lib/content/linked-items';
import { prisma } from '../../../lib/db/client';
import { apiToken, startApiServer } from '../../support/herald';
import { BANNER_ID, CARD_ID, IMAGE, link, localized, seedContent, storeItem, TAG_ID } from './seed-content';

const HUB = 'hub0000000000000000000a1';
const OTHER_HUB = 'hub0000000000000000000b2';

let api: { url: string; close(): Promise<void> };
let token: string;

beforeAll(async () => {
  await seedContent(HUB);
  await prisma().hub.create({ data: { id: OTHER_HUB, name: OTHER_HUB, label: 'Other' } });
  api = await startApiServer();
  token = await apiToken(api.url, 'content reader');
});

afterAll(async () => {
  await api.close();
});

type Body = Record<string, unknown> & { errors?: { code: string; message: string; property?: string }[] };

async function get(path: string, headers: Record<string, string> = { Authorization: `Bearer ${token}` }) {
  const response = await fetch(`${api.url}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Body, bytes: Buffer.byteLength(text), response };
}

const item = (id: string, query = '') => `/content/id/${id}?hubId=${HUB}&depth=all&format=inlined${query}`;

describe('GET /content/id/{id}', () => {
  it('answers only with a valid API token, and only for a named hub', async () => {
    const anonymous = await get(item(BANNER_ID), {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.response.headers.get('www-authenticate')).toContain('Bearer');
    expect((await get(item(BANNER_ID), { Authorization: 'Bearer forged.token' })).status).toBe(401);

    const noHub = await get(`/content/id/${BANNER_ID}?depth=all&format=inlined`);
    expect(noHub.status).toBe(400);
    expect(noHub.body.errors?.[0]).toMatchObject({ property: 'hubId' });
    expect(noHub.body.errors?.[0]?.message).toContain('hubId is required');
  });

  it('answers the item with linked items inlined at every depth', async () => {
    const { status, body, response } = await get(item(BANNER_ID));
    expect(status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({
      content: {
        _meta: {
          name: 'Winter sale banner',
          schema: 'http://docexample.com/tutorialbanner.json',
          deliveryId: BANNER_ID,
        },
        headline: localized({
          'en-GB': 'Winter sale now on!',
          'en-US': 'Holiday sale!',
          'fr-FR': 'Les soldes d’hiver',
        }),
        background: IMAGE,
        card: {
          _meta: { name: 'Card', schema: 'https://example.com/card.json', deliveryId: CARD_ID },
          title: localized({ 'de-DE': 'Karte', 'en-GB': 'Card' }),
          tag: { _meta: { name: 'Tag', schema: 'https://example.com/tag.json', deliveryId: TAG_ID }, text: 'sale' },
          back: link(BANNER_ID),
        },
      },
    });
  });

  it.each([
    ['fr-FR', 'Les soldes d’hiver', null],
    ['*', 'Winter sale now on!', 'Karte'],
    ['en-*', 'Winter sale now on!', 'Card'],
    ['fr-BE,en-GB', 'Winter sale now on!', 'Card'],
    ['de-DE', null, 'Karte'],
  ])('applies locale=%s to every localized field', async (locale, headline, title) => {
    const { status, body } = await get(item(BANNER_ID, `&locale=${encodeURIComponent(locale)}`));
    expect(status).toBe(200);
    const content = body.content as { headline: unknown; card: { title: unknown } };
    expect(content.headline).toBe(headline);
    expect(content.card.title).toBe(title);
  });

  it('answers 404 for an item Herald has not seen, for an unknown hub, and when the hub is not its hub', async () => {
    const unseen = await get(`/content/id/4f1c2ab0-0000-4000-8000-000000000000?hubId=${HUB}`);
    expect(unseen.status).toBe(404);
    expect(unseen.body.errors?.[0]?.message).toBe('Content item 4f1c2ab0-0000-4000-8000-000000000000 not found');
    expect((await get(`/content/id/${BANNER_ID}?hubId=${OTHER_HUB}`)).status).toBe(404);
    expect((await get(`/content/id/${BANNER_ID}?hubId=000000000000000000000000`)).status).toBe(404);
  });

  it('refuses depth and format it cannot honour', async () => {
    const { status, body } = await get(`/content/id/${BANNER_ID}?hubId=${HUB}&depth=root&format=linked`);
    expect(status).toBe(400);
    const messages = body.errors?.map((error) => error.message).join('; ');
    expect(messages).toMatch(/depth must be "all".*format must be "inlined"/);
  });

  it('inlines each linked item once: self-links and repeated links stay links instead of multiplying the answer', async () => {
    // The reported case: a 148 KB item whose links to itself and to a sibling inflated to 20 MB.
    const filler = 'x'.repeat(1024);
    const selfLinking = 'ab1e0000-0000-4000-8000-000000000001';
    const sibling = 'ab1e0000-0000-4000-8000-000000000002';
    await storeItem(HUB, sibling, {
      blocks: Array.from({ length: 20 }, () => filler),
      back: link(selfLinking),
      again: link(sibling),
    });
    await storeItem(HUB, selfLinking, {
      blocks: Array.from({ length: 128 }, () => filler),
      links: Array.from({ length: 100 }, (_, index) => link(index % 2 === 0 ? selfLinking : sibling)),
    });
    const stored = Buffer.byteLength(
      JSON.stringify(
        await prisma().contentItem.findMany({ where: { hubId: HUB, id: { in: [selfLinking, sibling] } } }),
      ),
    );
    expect(stored).toBeGreaterThan(148 * 1024);

    const { status, body, bytes } = await get(item(selfLinking));
    expect(status).toBe(200);
    expect(bytes).toBeLessThan(stored);
    const links = (body.content as { links: Record<string, unknown>[] }).links;
    expect(links[0]).toEqual(link(selfLinking));
    expect(links[1]).toMatchObject({ _meta: { deliveryId: sibling }, back: link(selfLinking), again: link(sibling) });
    expect(links.slice(2)).toEqual(
      Array.from({ length: 98 }, (_, index) => link(index % 2 === 0 ? selfLinking : sibling)),
    );
  });

  it('refuses an answer over the size limit with an error, not a huge body', async () => {
    const root = 'b16b0000-0000-4000-8000-000000000000';
    const parts = Array.from({ length: 6 }, (_, index) => `b16b0000-0000-4000-8000-00000000000${index + 1}`);
    const megabyte = 'z'.repeat(1024 * 1024);
    for (const part of parts) await storeItem(HUB, part, { text: megabyte });
    await storeItem(HUB, root, { parts: parts.map(link) });

    const { status, body, bytes } = await get(item(root));
    expect(status).toBe(422);
    expect(bytes).toBeLessThan(1024);
    expect(body.errors?.[0]).toMatchObject({ code: 'CONTENT_TOO_LARGE' });
    expect(body.errors?.[0]?.message).toBe(
      `content item "${root}" with its linked items is larger than ${MAX_CONTENT_BYTES / 1024 / 1024} MB, the most one answer may hold`,
    );
    // One part alone is within the limit.
    expect((await get(item(parts[0] as string))).status).toBe(200);
    await expect(getDeliveryContent({ hubId: HUB, id: root })).rejects.toBeInstanceOf(ContentTooLargeError);
  });

  it('looks items up by the primary key (hub, id), never by scanning the table', async () => {
    await prisma().$executeRawUnsafe(
      `INSERT INTO content_items (hub_id, id, version, body)
       SELECT $1, 'filler-' || n, 1, '{"text":"filler"}'::jsonb FROM generate_series(1, 5000) AS n`,
      OTHER_HUB,
    );
    await prisma().$executeRawUnsafe('ANALYZE content_items');
    // The query getDeliveryContent makes, for the item and then for its links by batch.
    const shapes: [string, unknown[]][] = [
      ['SELECT id, body::text FROM content_items WHERE hub_id = $1 AND id = ANY($2::varchar[])', [HUB, [BANNER_ID]]],
      [
        'SELECT id, body::text FROM content_items WHERE hub_id = $1 AND id = ANY($2::varchar[])',
        [HUB, [CARD_ID, TAG_ID]],
      ],
    ];
    const plans = await Promise.all(
      shapes.map(async ([sql, args]) => {
        const rows = await prisma().$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, ...args);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      }),
    );
    for (const plan of plans) {
      expect(plan).toContain('content_items_pkey');
      expect(plan).not.toContain('Seq Scan');
    }
  });

  it('returns the latest version written for an id', async () => {
    await prisma().contentItem.update({
      where: { hubId_id: { hubId: HUB, id: TAG_ID } },
      data: {
        version: 2,
        body: { _meta: { name: 'Tag', schema: 'https://example.com/tag.json', deliveryKey: 'tag' }, text: 'new' },
      },
    });
    expect(await getDeliveryContent({ hubId: HUB, id: TAG_ID })).toEqual({
      content: {
        _meta: { name: 'Tag', schema: 'https://example.com/tag.json', deliveryKey: 'tag', deliveryId: TAG_ID },
        text: 'new',
      },
    });
  });
});
