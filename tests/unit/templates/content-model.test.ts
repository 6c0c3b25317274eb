import { describe, expect, it } from 'vitest';
import { toDeliveryContent } from '../../../lib/content/delivery-shape';
import { ContentTooLargeError, inlineLinkedItems, type LoadItems } from '../../../lib/content/linked-items';
import { localizeContent, pickLocalizedValue } from '../../../lib/content/locale';
import { withMediaHost } from '../../../lib/content/media-host';
import type { JsonObject } from '../../../lib/content/schemas';

const CORE = 'http://bigcontent.io/cms/schema/v1/core#/definitions';

function localized(values: Array<[locale: string, value: unknown]>) {
  return { _meta: { schema: `${CORE}/localized-value` }, values: values.map(([locale, value]) => ({ locale, value })) };
}

function link(id: string) {
  return { _meta: { schema: `${CORE}/content-link` }, contentType: 'https://example.com/card.json', id };
}

const headline = localized([
  ['en-GB', 'Winter sale'],
  ['en-US', 'Holiday sale'],
  ['fr-FR', 'Soldes d’hiver'],
  ['de-DE', null],
]);

describe('locale filtering (the seeds rules)', () => {
  it.each([
    ['fr-FR', 'Soldes d’hiver'],
    ['FR-fr', 'Soldes d’hiver'],
    ['*', 'Winter sale'],
    ['en-*', 'Winter sale'],
    ['fr-*', 'Soldes d’hiver'],
    ['fr-BE,en-GB', 'Winter sale'],
    ['fr-BE, en-US', 'Holiday sale'],
    ['de-DE,fr-*', 'Soldes d’hiver'],
    ['es-ES', null],
    ['de-DE', null],
    ['es-*,it-IT', null],
  ])('locale=%s → %s', (locale, expected) => {
    expect(pickLocalizedValue(headline.values, locale)).toBe(expected);
  });

  it('localizes every localized field in the tree, leaving other fields alone', () => {
    const content = {
      _meta: { name: 'banner', schema: 'https://example.com/banner.json', deliveryId: 'a' },
      headline,
      slides: [{ caption: localized([['fr-FR', 'Un']]) }, { caption: localized([['en-GB', 'Two']]) }],
      plain: 'same',
    };
    expect(localizeContent(content, 'fr-FR')).toEqual({
      _meta: content._meta,
      headline: 'Soldes d’hiver',
      slides: [{ caption: 'Un' }, { caption: null }],
      plain: 'same',
    });
  });
});

describe('media host', () => {
  const image = {
    _meta: { schema: `${CORE}/image-link` },
    id: 'b54fff18',
    name: 'woman-hat-snow',
    endpoint: 'ampproduct',
    defaultHost: 'xyz.staging.bigcontent.io',
  };

  it('puts media on the production media host by default', () => {
    expect(withMediaHost({ image, other: { defaultHost: 'kept' } })).toEqual({
      image: { ...image, defaultHost: 'cdn.media.amplience.net' },
      other: { defaultHost: 'kept' },
    });
  });

  it('uses mediaHost when given, for images and videos', () => {
    const video = { ...image, _meta: { schema: `${CORE}/video-link` } };
    expect(withMediaHost([image, video], 'media.example.com')).toEqual([
      { ...image, defaultHost: 'media.example.com' },
      { ...video, defaultHost: 'media.example.com' },
    ]);
  });
});

describe('delivery shape', () => {
  it('returns the body with _meta as the delivery API v2 does', () => {
    const body = { _meta: { name: 'Winter', schema: 'https://example.com/banner.json', deliveryKey: 'home' }, a: 1 };
    expect(toDeliveryContent({ id: 'id-1', label: 'Label', schema: null, body })).toEqual({
      _meta: { name: 'Winter', schema: 'https://example.com/banner.json', deliveryKey: 'home', deliveryId: 'id-1' },
      a: 1,
    });
    expect(toDeliveryContent({ id: 'id-2', label: 'Label', schema: 'https://s.json', body: { b: 2 } })).toEqual({
      _meta: { name: 'Label', schema: 'https://s.json', deliveryId: 'id-2' },
      b: 2,
    });
  });
});

describe('linked items (depth=all, format=inlined)', () => {
  const items: Record<string, JsonObject> = {
    root: { _meta: { deliveryId: 'root' }, first: link('card'), list: [link('card'), link('unknown')] },
    card: { _meta: { deliveryId: 'card' }, image: link('leaf'), back: link('root') },
    leaf: { _meta: { deliveryId: 'leaf' }, ref: { _meta: { schema: `${CORE}/content-reference` }, id: 'card' } },
  };
  const load: LoadItems = async (ids) =>
    new Map(ids.flatMap((id) => (items[id] ? [[id, items[id]] as [string, JsonObject]] : [])));

  it('inlines each known item once, at every depth; keeps repeats, unknown links, references and cycles as links', async () => {
    const root = items.root!;
    const inlinedCard = { _meta: { deliveryId: 'card' }, image: items.leaf, back: link('root') };
    expect(await inlineLinkedItems('root', root, load)).toEqual({
      _meta: { deliveryId: 'root' },
      first: inlinedCard,
      list: [link('card'), link('unknown')],
    });
  });

  it('inlines the reference nearest the root, so direct links are content even when a deeper one comes first', async () => {
    const nested: Record<string, JsonObject> = {
      top: { _meta: { deliveryId: 'top' }, a: link('mid'), b: link('leaf') },
      mid: { _meta: { deliveryId: 'mid' }, leaf: link('leaf') },
      leaf: { _meta: { deliveryId: 'leaf' }, text: 'x' },
    };
    const loadNested: LoadItems = async (ids) =>
      new Map(ids.flatMap((id) => (nested[id] ? [[id, nested[id]] as [string, JsonObject]] : [])));
    expect(await inlineLinkedItems('top', nested.top!, loadNested)).toEqual({
      _meta: { deliveryId: 'top' },
      a: { _meta: { deliveryId: 'mid' }, leaf: link('leaf') },
      b: nested.leaf,
    });
  });

  it('refuses an answer over the size limit instead of building it', async () => {
    const big: Record<string, JsonObject> = {
      root: { _meta: { deliveryId: 'root' }, a: link('a'), b: link('b') },
      a: { _meta: { deliveryId: 'a' }, text: 'x'.repeat(600) },
      b: { _meta: { deliveryId: 'b' }, text: 'y'.repeat(600) },
    };
    const loadBig: LoadItems = async (ids) =>
      new Map(ids.flatMap((id) => (big[id] ? [[id, big[id]] as [string, JsonObject]] : [])));
    await expect(inlineLinkedItems('root', big.root!, loadBig, { maxBytes: 1000 })).rejects.toBeInstanceOf(
      ContentTooLargeError,
    );
    expect(await inlineLinkedItems('root', big.root!, loadBig, { maxBytes: 2000 })).toMatchObject({
      a: { text: 'x'.repeat(600) },
      b: { text: 'y'.repeat(600) },
    });
  });

  it('loads each level of links in one batch', async () => {
    const batches: string[][] = [];
    await inlineLinkedItems('root', items.root!, async (ids) => {
      batches.push(ids);
      return load(ids);
    });
    expect(batches).toEqual([['card', 'unknown'], ['leaf']]);
  });
});
