import { beforeAll, describe, expect, it } from 'vitest';
import { GET } from '../../../app/content/id/[id]/route';
import { handleContentDeliveryRequest } from '../../../lib/content/delivery-api-route';
import { getDeliveryContent } from '../../../lib/content/get-delivery-content';
import { prisma } from '../../../lib/db/client';
import { BANNER_ID, CARD_ID, IMAGE, link, localized, seedContent, TAG_ID } from './seed-content';

const HUB = 'hub0000000000000000000a1';
const OTHER_HUB = 'hub0000000000000000000b2';

beforeAll(async () => {
  await seedContent(HUB);
  await prisma().hub.create({ data: { id: OTHER_HUB, name: OTHER_HUB, label: 'Other' } });
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(path, 'http://herald.test');
  const id = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
  const response = await handleContentDeliveryRequest(new Request(url), id);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('GET /content/id/{id}', () => {
  it('answers the item with linked items inlined at every depth', async () => {
    const { status, body } = await get(`/content/id/${BANNER_ID}?depth=all&format=inlined`);
    expect(status).toBe(200);
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
    const { status, body } = await get(
      `/content/id/${BANNER_ID}?depth=all&format=inlined&locale=${encodeURIComponent(locale)}`,
    );
    expect(status).toBe(200);
    const content = body.content as { headline: unknown; card: { title: unknown } };
    expect(content.headline).toBe(headline);
    expect(content.card.title).toBe(title);
  });

  it('answers 404 for an item Herald has not seen, and when the hub is not its hub', async () => {
    expect(await get('/content/id/4f1c2ab0-0000-4000-8000-000000000000')).toEqual({
      status: 404,
      body: { error: 'Content item "4f1c2ab0-0000-4000-8000-000000000000" not found' },
    });
    expect((await get(`/content/id/${BANNER_ID}?hubId=${OTHER_HUB}`)).status).toBe(404);
    expect((await get(`/content/id/${BANNER_ID}?hubId=${HUB}`)).status).toBe(200);
  });

  it('refuses depth and format it cannot honour', async () => {
    const { status, body } = await get(`/content/id/${BANNER_ID}?depth=root&format=linked`);
    expect(status).toBe(400);
    expect(body.error).toMatch(/depth must be "all".*format must be "inlined"/);
  });

  it('is served by the Next.js route handler', async () => {
    const request = new Request(`http://herald.test/content/id/${TAG_ID}?depth=all&format=inlined`);
    const response = await GET(request, { params: Promise.resolve({ id: TAG_ID }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({
      content: { _meta: { name: 'Tag', schema: 'https://example.com/tag.json', deliveryId: TAG_ID }, text: 'sale' },
    });
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
