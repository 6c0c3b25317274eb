import { prisma } from '../../../lib/db/client';

const CORE = 'http://bigcontent.io/cms/schema/v1/core#/definitions';

export const BANNER_ID = '02a6c85b-a27f-491a-9983-41b4f4638782';
export const CARD_ID = '7b0c1d36-1f8e-4a53-9b5f-1f6f0c6a1e01';
export const TAG_ID = 'c3b2a1d0-0e9f-4c8b-8a7d-6e5f4d3c2b1a';

export function localized(values: Record<string, string>) {
  return {
    _meta: { schema: `${CORE}/localized-value` },
    values: Object.entries(values).map(([locale, value]) => ({ locale, value })),
  };
}

export function link(id: string) {
  return { _meta: { schema: `${CORE}/content-link` }, contentType: 'https://example.com/card.json', id };
}

export const IMAGE = {
  _meta: { schema: `${CORE}/image-link` },
  id: 'b54fff18-685d-4843-b765-c025dca05524',
  name: 'woman-hat-snow',
  endpoint: 'ampproduct',
  defaultHost: 'i1.adis.ws',
};

/** A hub with a banner (localized headline, an image) linking a card that links a tag. */
export async function seedContent(hubId: string): Promise<void> {
  const db = prisma();
  await db.hub.create({ data: { id: hubId, name: hubId, label: `Hub ${hubId}` } });
  const item = (id: string, label: string, schema: string, body: Record<string, unknown>) =>
    db.contentItem.create({
      data: { hubId, id, version: 1, label, schema, body: { _meta: { name: label, schema }, ...body } },
    });
  await item(BANNER_ID, 'Winter sale banner', 'http://docexample.com/tutorialbanner.json', {
    headline: localized({ 'en-GB': 'Winter sale now on!', 'en-US': 'Holiday sale!', 'fr-FR': 'Les soldes d’hiver' }),
    background: IMAGE,
    card: link(CARD_ID),
  });
  await item(CARD_ID, 'Card', 'https://example.com/card.json', {
    title: localized({ 'de-DE': 'Karte', 'en-GB': 'Card' }),
    tag: link(TAG_ID),
    back: link(BANNER_ID),
  });
  await item(TAG_ID, 'Tag', 'https://example.com/tag.json', { text: 'sale' });
}

/** A content item row as emitted events would have left it (tests write the table directly). */
export async function storeItem(hubId: string, id: string, body: Record<string, unknown>, label = id): Promise<void> {
  const schema = 'https://example.com/page.json';
  await prisma().contentItem.create({
    data: { hubId, id, version: 1, label, schema, body: { _meta: { name: label, schema }, ...body } },
  });
}
