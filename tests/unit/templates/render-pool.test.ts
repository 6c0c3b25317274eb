import { afterEach, describe, expect, it } from 'vitest';
import { MAX_OUTPUT_BYTES } from '../../../lib/templates/limits';
import { type RenderJob, type RenderJobResult, RenderPool } from '../../../lib/templates/render-pool';
import { createRequestRenderer } from '../../../lib/templates/render-request';
import { contentItemUpdated, HOOK_URL } from './fixtures';

/** A list of `n` items built with the available helpers: handlebars-helpers has no `range`. */
const list = (n: number) => `(split "${'x,'.repeat(n - 1)}x" ",")`;
/** Nested {{#each}}: 300^4 = 8.1 billion iterations, minutes of CPU if nothing stopped it. */
const HOSTILE = `{{#each ${list(300)}}}{{#each ${list(300)}}}{{#each ${list(300)}}}{{#each ${list(300)}}}.{{/each}}{{/each}}{{/each}}{{/each}}`;

function job(source: string): RenderJob {
  return {
    templates: [{ kind: 'payload', source }],
    context: contentItemUpdated(),
    contents: [],
    maxOutputBytes: MAX_OUTPUT_BYTES,
  };
}

const pools: RenderPool[] = [];
function pool(options: ConstructorParameters<typeof RenderPool>[0]): RenderPool {
  const created = new RenderPool(options);
  pools.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

/** Records the order in which results arrive. */
function recorder() {
  const order: string[] = [];
  const track = (label: string, result: Promise<RenderJobResult>) =>
    result.then((value) => {
      order.push(label);
      return value;
    });
  return { order, track };
}

const outcome = (result: RenderJobResult) => (result.ok ? result.outputs.join('') : result.reason);

// Real threads and real time limits: several seconds per test, more on a loaded machine.
describe('render pool: one webhook timing out does not hold up the others (issue 8, item 3)', {
  timeout: 60_000,
}, () => {
  it("a simple render of webhook B finishes before any of webhook A's hostile renders, and A is parked after 3", async () => {
    const renders = pool({ size: 2, timeoutMs: 1000, maxQueueWaitMs: 120_000 });
    await renders.whenReady();
    const { order, track } = recorder();

    const hostile = Array.from({ length: 6 }, (_, i) => track(`A${i}`, renders.run(job(HOSTILE), 'webhook-a')));
    const simple = track('B', renders.run(job('{{payload.id}}'), 'webhook-b'));

    expect(outcome(await simple)).toBe('02a6c85b-a27f-491a-9983-41b4f4638782');
    const results = await Promise.all(hostile);
    expect(order[0]).toBe('B');
    // A's renders ran one at a time; after three were stopped the rest failed fast, unrendered.
    expect(results.map(outcome)).toEqual(['timeout', 'timeout', 'timeout', 'parked', 'parked', 'parked']);
    expect(results[3]).toMatchObject({
      message: expect.stringMatching(
        /^render postponed: this webhook's last 3 renders were stopped .* pause for \d+ s$/,
      ),
    });

    // While A is parked its renders fail at once; B's keep rendering.
    expect(outcome(await renders.run(job('{{name}}'), 'webhook-a'))).toBe('parked');
    expect(outcome(await renders.run(job('{{name}}'), 'webhook-b'))).toBe('dynamic-content.content-item.updated');
  });

  it('while a webhook that timed out renders again, another webhook keeps a thread of its own', async () => {
    const renders = pool({ size: 2, timeoutMs: 1000, parkAfter: 100, maxQueueWaitMs: 120_000 });
    await renders.whenReady();
    const { order, track } = recorder();

    const hostile = Array.from({ length: 3 }, (_, i) => track(`A${i}`, renders.run(job(HOSTILE), 'webhook-a')));
    expect(outcome(await hostile[0]!)).toBe('timeout');

    // A is now suspect: its next render runs alone on one thread, never on both.
    const simple = Array.from({ length: 20 }, (_, i) =>
      track(`B${i}`, renders.run(job(`{{sequenceId}}-${i}`), 'webhook-b')),
    );
    expect((await Promise.all(simple)).map(outcome)).toEqual(simple.map((_, i) => `1-${i}`));
    expect((await Promise.all(hostile)).map(outcome)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(order.indexOf('B19')).toBeLessThan(order.indexOf('A1'));
  });

  it('a job that cannot get a thread in time fails as busy instead of outliving the delivery lease', async () => {
    const renders = pool({ size: 1, timeoutMs: 60_000, maxQueueWaitMs: 200 });
    await renders.whenReady();
    let hostileDone = false;
    const hostile = renders.run(job(HOSTILE), 'webhook-a').then((result) => {
      hostileDone = true;
      return result;
    });
    const waiting = await renders.run(job('{{name}}'), 'webhook-b');
    expect(waiting).toEqual({
      ok: false,
      reason: 'busy',
      message: 'render postponed: no render thread was free for 0.2 s',
    });
    expect(hostileDone).toBe(false);
    await renders.close();
    expect(outcome(await hostile)).toBe('crashed');
  });

  it('renderRequest passes the webhook id, and a postponed render is retryable', async () => {
    const renders = pool({ size: 2, timeoutMs: 1000, parkAfter: 1, maxQueueWaitMs: 120_000 });
    const render = createRequestRenderer({ pool: () => renders });
    const envelope = contentItemUpdated();
    const input = { hubId: 'hub', urlTemplate: HOOK_URL, envelope, webhookId: 'webhook-a' };
    expect(await render({ ...input, payloadTemplate: HOSTILE })).toEqual({
      ok: false,
      error: 'render timed out after 1000 ms',
    });
    expect(await render({ ...input, payloadTemplate: '{{name}}' })).toEqual({
      ok: false,
      error: expect.stringMatching(/^render postponed: this webhook's last 1 renders/),
      retryable: true,
    });
    expect(await render({ ...input, webhookId: 'webhook-b', payloadTemplate: '{{name}}' })).toMatchObject({
      ok: true,
      body: 'dynamic-content.content-item.updated',
    });
  });

  it('jobs without a webhook id are never parked', async () => {
    const renders = pool({ size: 2, timeoutMs: 1000, parkAfter: 1 });
    expect(outcome(await renders.run(job(HOSTILE)))).toBe('timeout');
    expect(outcome(await renders.run(job('{{sequenceId}}')))).toBe('1');
  });
});
