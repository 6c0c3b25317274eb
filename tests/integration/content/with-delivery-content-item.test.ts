import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRenderPool } from '../../../lib/templates/default-render-pool';
import { renderRequest } from '../../../lib/templates/render-request';
import { BANNER_ID, link, seedContent, storeItem } from './seed-content';

const HUB = 'hub0000000000000000000c3';
const HOOK = 'https://example.com/hook';

beforeAll(async () => {
  delete process.env.HERALD_CONTENT_DELIVERY_URL;
  await seedContent(HUB);
});
afterAll(closeRenderPool);

function contentItemUpdated(id = BANNER_ID): Record<string, unknown> {
  return {
    sequenceId: 1,
    id: 'a03f2307-47f2-42b0-8542-1d10c9e55209',
    name: 'dynamic-content.content-item.updated',
    requestId: '8e580779-fc9c-480b-8db2-ffabe192e5a1',
    resource: HUB,
    payload: { id, label: 'Winter sale banner', body: {} },
  };
}

async function render(payloadTemplate: string, hubId = HUB, envelope = contentItemUpdated()): Promise<string> {
  const result = await renderRequest({ hubId, urlTemplate: HOOK, payloadTemplate, envelope });
  if (!result.ok) throw new Error(result.error);
  return result.body;
}

describe('withDeliveryContentItem over Herald’s content store', () => {
  it('the seeds example: the entire item with JSONstringify, media on the production host', async () => {
    const body = await render(
      '{{#withDeliveryContentItem account="ampproduct" stagingEnvironment=""}}\n{{{JSONstringify .}}}\n{{/withDeliveryContentItem}}',
    );
    const content = JSON.parse(body);
    expect(content._meta).toEqual({
      name: 'Winter sale banner',
      schema: 'http://docexample.com/tutorialbanner.json',
      deliveryId: BANNER_ID,
    });
    expect(content.background.defaultHost).toBe('cdn.media.amplience.net');
    expect(content.card.tag.text).toBe('sale');
    expect(content.headline.values).toHaveLength(3);
  });

  it.each([
    ['fr-FR', '"Les soldes d’hiver" / null'],
    ['*', '"Winter sale now on!" / "Karte"'],
    ['en-*', '"Winter sale now on!" / "Card"'],
    ['fr-BE,en-GB', '"Winter sale now on!" / "Card"'],
    ['es-ES', 'null / null'],
  ])('the seeds locale example with locale="%s"', async (locale, expected) => {
    const template =
      `{{#withDeliveryContentItem contentItemId=payload.id account="ampproduct" stagingEnvironment="" locale="${locale}"}}` +
      '{{{JSONstringify headline}}} / {{{JSONstringify card.title}}}{{/withDeliveryContentItem}}';
    expect(await render(template)).toBe(expected);
  });

  it('honours mediaHost', async () => {
    const template =
      '{{#withDeliveryContentItem contentItemId=payload.id account="ampproduct" mediaHost="vse.example.com"}}{{background.defaultHost}}{{/withDeliveryContentItem}}';
    expect(await render(template)).toBe('vse.example.com');
  });

  it('renders {{else}} for an item Herald has not seen, or one from another hub', async () => {
    const template =
      '{{#withDeliveryContentItem contentItemId=payload.id}}found{{else}}not found{{/withDeliveryContentItem}}';
    expect(await render(template, HUB, contentItemUpdated('4f1c2ab0-0000-4000-8000-000000000000'))).toBe('not found');
    expect(await render(template, 'hub0000000000000000000d4')).toBe('not found');
    expect(await render(template)).toBe('found');
  });

  it('reads Herald’s store in-process for the delivery’s hub, and fails with the reason when the answer is over the limit', async () => {
    const root = 'b16b0000-0000-4000-8000-0000000000a0';
    const parts = Array.from({ length: 6 }, (_, index) => `b16b0000-0000-4000-8000-0000000000a${index + 1}`);
    for (const part of parts) await storeItem(HUB, part, { text: 'z'.repeat(1024 * 1024) });
    await storeItem(HUB, root, { parts: parts.map(link) });
    const result = await renderRequest({
      hubId: HUB,
      urlTemplate: HOOK,
      payloadTemplate: '{{#withDeliveryContentItem contentItemId=payload.id}}found{{/withDeliveryContentItem}}',
      envelope: contentItemUpdated(root),
    });
    // Over the render's content budget (the same 5 MB as one answer): a verdict, not retried.
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/^content budget of 5 MB exceeded after 0 of 1 withDeliveryContentItem calls/),
    });
    expect(
      await render(
        `{{#withDeliveryContentItem contentItemId="${parts[0]}"}}{{text.length}}{{/withDeliveryContentItem}}`,
      ),
    ).toBe(String(1024 * 1024));
  });
});
