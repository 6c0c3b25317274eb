import { afterAll, describe, expect, it } from 'vitest';
import { payloadSnippets } from '../../../components/webhook-editor/payload-snippets';
import { EVENT_CATALOG, EVENT_NAMES } from '../../../lib/events/catalog';
import type { ContentCall } from '../../../lib/templates/content-calls';
import { validateTemplate } from '../../../lib/templates/validate';
import { closeRenderPool, rendererWith, renderPayload } from './fixtures';

afterAll(closeRenderPool);

const FETCH = 'withDeliveryContentItem';

function samples(name: string) {
  const definition = EVENT_CATALOG.find((event) => event.name === name);
  if (!definition) throw new Error(`no catalog entry for ${name}`);
  return definition.samples.map((sample) => sample.envelope as unknown as Record<string, unknown>);
}

/** The withDeliveryContentItem calls a snippet makes for one event, as the render fetches them. */
async function callsFor(text: string, envelope: Record<string, unknown>): Promise<ContentCall[]> {
  const calls: ContentCall[] = [];
  const render = rendererWith(async (call) => {
    calls.push(call);
    return { _meta: { deliveryId: call.contentItemId } };
  });
  await renderPayload(text, envelope, render);
  return calls;
}

describe('payload snippets (issue 7, item 6b)', () => {
  it('are all valid templates, for every choice of events', () => {
    for (const events of [[], ...EVENT_NAMES.map((name) => [name])]) {
      for (const snippet of payloadSnippets(events)) {
        expect(validateTemplate(snippet.text, 'payload'), snippet.label).toEqual({ ok: true });
      }
    }
  });

  it.each([
    'dynamic-content.content-item.created',
    'dynamic-content.content-item.updated',
    'dynamic-content.content-item.workflow.updated',
    'dynamic-content.content-item.assigned',
  ])('%s fetches the content item by payload.id', async (name) => {
    const fetches = payloadSnippets([name]).filter((snippet) => snippet.text.includes(FETCH));
    expect(fetches).toHaveLength(1);
    for (const envelope of samples(name)) {
      const payload = envelope.payload as { id: string };
      const calls = await callsFor(fetches[0]!.text, envelope);
      expect(calls.map((call) => [call.contentItemId, call.snapshotId])).toEqual([[payload.id, '']]);
    }
  });

  it("snapshot published fetches the root content item, at the snapshot's version", async () => {
    const fetches = payloadSnippets(['dynamic-content.snapshot.published']).filter((snippet) =>
      snippet.text.includes(FETCH),
    );
    expect(fetches.map((snippet) => snippet.label)).toEqual([
      "Fetch the snapshot's root content item (withDeliveryContentItem)",
      "Fetch each of the snapshot's root content items (edition published)",
    ]);
    const [fromContentItem, fromEdition] = samples('dynamic-content.snapshot.published');
    const snapshot = fromContentItem!.payload as { id: string; rootContentItem: { id: string } };
    expect(
      (await callsFor(fetches[0]!.text, fromContentItem!)).map((call) => [call.contentItemId, call.snapshotId]),
    ).toEqual([[snapshot.rootContentItem.id, snapshot.id]]);

    // Made from an edition: no rootContentItem, one fetch per root item, all at the snapshot's version.
    const edition = fromEdition!.payload as { id: string; rootContentItems: Array<{ id: string }> };
    const calls = await callsFor(fetches[1]!.text, fromEdition!);
    expect(calls.map((call) => [call.contentItemId, call.snapshotId]).sort()).toEqual(
      edition.rootContentItems.map((item) => [item.id, edition.id]).sort(),
    );
    const body = await renderPayload(
      fetches[1]!.text,
      fromEdition!,
      rendererWith(async (call) => ({ id: call.contentItemId })),
    );
    expect(JSON.parse(body)).toEqual(edition.rootContentItems.map((item) => ({ id: item.id })));
  });

  it('edition events carry no content item, so no fetch snippet is offered', () => {
    for (const name of [
      'dynamic-content.edition.scheduled',
      'dynamic-content.edition.unscheduled',
      'dynamic-content.edition.published',
    ]) {
      expect(payloadSnippets([name]).some((snippet) => snippet.text.includes(FETCH))).toBe(false);
    }
  });

  it('offers every variant while no event is chosen, and keeps the common snippets for all', () => {
    expect(payloadSnippets([]).filter((snippet) => snippet.text.includes(FETCH))).toHaveLength(3);
    expect(payloadSnippets(['dynamic-content.edition.published']).map((snippet) => snippet.label)).toContain(
      'Whole event as JSON',
    );
  });
});
