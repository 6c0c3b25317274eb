import { afterAll, describe, expect, it } from 'vitest';
import type { ContentCall } from '../../../lib/templates/content-calls';
import { CONTENT_LOADS_AT_ONCE } from '../../../lib/templates/content-load-limits';
import { closeRenderPool, contentItemUpdated, rendererWith, renderPayload } from './fixtures';

afterAll(closeRenderPool);

const ITEM_ID = '02a6c85b-a27f-491a-9983-41b4f4638782';

/** A fake delivery API: remembers the calls and answers with an item that shows what was asked. */
function fakeApi(known: Record<string, Record<string, unknown>> = {}) {
  const calls: ContentCall[] = [];
  const fetchContent = async (call: ContentCall) => {
    calls.push(call);
    const item = known[call.contentItemId];
    return item ? { ...item, _meta: { deliveryId: call.contentItemId }, askedLocale: call.locale } : null;
  };
  return { calls, render: rendererWith(fetchContent) };
}

const banner = { headline: 'Winter sale now on!', tags: ['a', 'b'] };

describe('withDeliveryContentItem', () => {
  it('the seeds example: the whole item for fr-FR with JSONstringify', async () => {
    const api = fakeApi({ [ITEM_ID]: banner });
    const template =
      '{{#withDeliveryContentItem contentItemId=payload.id account="ampproduct" stagingEnvironment="" locale="fr-FR"}}\n' +
      '{{{JSONstringify .}}}\n' +
      '{{/withDeliveryContentItem}}';
    const body = await renderPayload(template, contentItemUpdated(), api.render);
    expect(JSON.parse(body)).toEqual({ ...banner, _meta: { deliveryId: ITEM_ID }, askedLocale: 'fr-FR' });
    expect(api.calls).toEqual([
      {
        contentItemId: ITEM_ID,
        account: 'ampproduct',
        stagingEnvironment: '',
        locale: 'fr-FR',
        snapshotId: '',
        mediaHost: '',
      },
    ]);
  });

  it('the seeds example without contentItemId fetches the item the event is about', async () => {
    const api = fakeApi({ [ITEM_ID]: banner });
    const template =
      '{{#withDeliveryContentItem account="ampproduct" stagingEnvironment=""}}{{headline}}{{/withDeliveryContentItem}}';
    expect(await renderPayload(template, contentItemUpdated(), api.render)).toBe('Winter sale now on!');
    expect(api.calls[0]?.contentItemId).toBe(ITEM_ID);
  });

  it('takes positional arguments, in the documented order', async () => {
    const api = fakeApi({ [ITEM_ID]: banner });
    const template =
      '{{#withDeliveryContentItem payload.id "ampproduct" "abc.staging.bigcontent.io" "en-*" "snap-1" "media.example.com"}}' +
      '{{headline}}{{/withDeliveryContentItem}}';
    expect(await renderPayload(template, contentItemUpdated(), api.render)).toBe('Winter sale now on!');
    expect(api.calls).toEqual([
      {
        contentItemId: ITEM_ID,
        account: 'ampproduct',
        stagingEnvironment: 'abc.staging.bigcontent.io',
        locale: 'en-*',
        snapshotId: 'snap-1',
        mediaHost: 'media.example.com',
      },
    ]);
  });

  it('renders {{else}} (or nothing) for an item that does not exist', async () => {
    const api = fakeApi();
    const withElse =
      '{{#withDeliveryContentItem contentItemId="nope" account="a"}}found{{else}}missing {{payload.id}}{{/withDeliveryContentItem}}';
    expect(await renderPayload(withElse, contentItemUpdated(), api.render)).toBe(`missing ${ITEM_ID}`);
    expect(
      await renderPayload(
        '[{{#withDeliveryContentItem contentItemId="nope"}}x{{/withDeliveryContentItem}}]',
        contentItemUpdated(),
        api.render,
      ),
    ).toBe('[]');
  });

  it('keeps @root pointing at the event inside the block', async () => {
    const api = fakeApi({ [ITEM_ID]: banner });
    const template =
      '{{#withDeliveryContentItem contentItemId=payload.id}}{{headline}} / {{@root.name}}{{/withDeliveryContentItem}}';
    expect(await renderPayload(template, contentItemUpdated(), api.render)).toBe(
      'Winter sale now on! / dynamic-content.content-item.updated',
    );
  });

  it('fetches calls inside {{#each}} and {{#with}} over the event, in parallel up to the worker’s loads at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const render = rendererWith(async (call) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight -= 1;
      return { title: `item ${call.contentItemId}` };
    });
    const envelope = contentItemUpdated();
    (envelope.payload as Record<string, unknown>).related = [{ id: 'r1' }, { id: 'r2' }, { id: 'r3' }];
    const template =
      '{{#with payload}}{{#each related}}{{#withDeliveryContentItem contentItemId=id}}{{title}}{{/withDeliveryContentItem}};{{/each}}{{/with}}';
    expect(await renderPayload(template, envelope, render)).toBe('item r1;item r2;item r3;');
    expect(CONTENT_LOADS_AT_ONCE).toBeGreaterThan(1);
    expect(maxInFlight).toBe(Math.min(3, CONTENT_LOADS_AT_ONCE));
  });

  it('fails the render, naming the item, when a fetch fails', async () => {
    const render = rendererWith(async () => {
      const { ContentFetchError } = await import('../../../lib/content/errors');
      throw new ContentFetchError('timed out after 2000 ms');
    });
    await expect(
      renderPayload(
        '{{#withDeliveryContentItem contentItemId=payload.id}}x{{/withDeliveryContentItem}}',
        contentItemUpdated(),
        render,
      ),
    ).rejects.toThrow(`withDeliveryContentItem could not fetch content item "${ITEM_ID}": timed out after 2000 ms`);
  });

  it('explains a call whose arguments are only known while rendering', async () => {
    const api = fakeApi({ [ITEM_ID]: banner });
    const template =
      '{{#each payload.body}}{{#withDeliveryContentItem contentItemId=@key}}x{{/withDeliveryContentItem}}{{/each}}';
    await expect(renderPayload(template, contentItemUpdated(), api.render)).rejects.toThrow(
      /withDeliveryContentItem could not fetch content item "_meta" before rendering: its arguments must be text or values from the event/,
    );
  });

  it('refuses more than 25 different calls', async () => {
    const envelope = contentItemUpdated();
    (envelope.payload as Record<string, unknown>).related = Array.from({ length: 30 }, (_, i) => `id-${i}`);
    const template =
      '{{#each payload.related}}{{#withDeliveryContentItem contentItemId=this}}x{{/withDeliveryContentItem}}{{/each}}';
    await expect(renderPayload(template, envelope, fakeApi().render)).rejects.toThrow(
      'The template makes more than 25 different withDeliveryContentItem calls for this event',
    );
  });
});
