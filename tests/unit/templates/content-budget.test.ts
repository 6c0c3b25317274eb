import { describe, expect, it } from 'vitest';
import type { ContentSource } from '../../../lib/content/fetch-content-item';
import type { LoadControl } from '../../../lib/content/load-control';
import { ContentBudget, ContentBudgetExceededError } from '../../../lib/templates/content-budget';
import type { ContentCall } from '../../../lib/templates/content-calls';
import { createContentLoadLimits } from '../../../lib/templates/content-load-limits';
import { prefetchContent } from '../../../lib/templates/prefetch-content';
import { waitFor } from '../../support/wait';

const KB = 1024;

function call(contentItemId: string, mediaHost = ''): ContentCall {
  return { contentItemId, account: '', stagingEnvironment: '', locale: '', snapshotId: '', mediaHost };
}

/** A content source whose loads report `chunks` as they arrive, and can be held open by the test. */
class FakeStore {
  loads: string[] = [];
  running = 0;
  mostRunning = 0;
  stopped: string[] = [];
  private gates = new Map<string, () => void>();

  constructor(
    private readonly chunks: (id: string) => number[],
    private readonly held = new Set<string>(),
  ) {}

  open(id: string) {
    this.held.delete(id);
    this.gates.get(id)?.();
  }

  source = (request: ContentCall): ContentSource => ({
    key: request.contentItemId,
    load: (control: LoadControl) => this.load(request.contentItemId, control),
    present: (content) => ({ ...(content as object), host: request.mediaHost }),
  });

  private async load(id: string, { signal, onBytes }: LoadControl): Promise<unknown> {
    this.loads.push(id);
    this.running++;
    this.mostRunning = Math.max(this.mostRunning, this.running);
    try {
      if (this.held.has(id)) {
        await new Promise<void>((resolve, reject) => {
          this.gates.set(id, resolve);
          signal?.addEventListener('abort', () => {
            this.stopped.push(id);
            reject(signal.reason);
          });
        });
      }
      let text = '';
      for (const size of this.chunks(id)) {
        await new Promise((resolve) => setImmediate(resolve));
        if (signal?.aborted) {
          this.stopped.push(id);
          throw signal.reason;
        }
        onBytes?.(size);
        text += 'x'.repeat(size);
      }
      return { id, text };
    } finally {
      this.running--;
    }
  }
}

describe('ContentBudget', () => {
  it('counts what arrives and fails past its limit, naming the budget and how far the render got', () => {
    const budget = new ContentBudget(25, 5 * 1024 * KB);
    budget.charge(2 * 1024 * KB);
    budget.callDone();
    budget.charge(2 * 1024 * KB);
    budget.callDone();
    budget.callDone();
    expect(budget.signal.aborted).toBe(false);
    expect(() => budget.charge(1024 * KB + 1)).toThrow(
      'content budget of 5 MB exceeded after 3 of 25 withDeliveryContentItem calls',
    );
    expect(budget.signal.aborted).toBe(true);
    expect(budget.signal.reason).toBeInstanceOf(ContentBudgetExceededError);
    // Once over, every later charge fails the same way.
    expect(() => budget.charge(0)).toThrow(ContentBudgetExceededError);
  });
});

describe('prefetchContent', () => {
  it('shares one budget between all calls of a render and fails the render over it, stopping its other loads', async () => {
    const store = new FakeStore(
      (id) => (id === 'huge' ? [100 * KB, 100 * KB, 100 * KB] : [60 * KB]),
      new Set(['slow']),
    );
    const limits = createContentLoadLimits(4, 4 * 256 * KB);
    const result = await prefetchContent([call('a'), call('b'), call('huge'), call('slow')], store.source, {
      limits,
      budgetBytes: 256 * KB,
    });
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error: expect.stringMatching(
        /^content budget of 0\.3 MB exceeded after [0-2] of 4 withDeliveryContentItem calls/,
      ),
    });
    expect(store.stopped).toContain('slow');
    // Nothing stays counted: the memory and the load slots are all free again.
    expect(limits.memory.free).toBe(limits.memory.capacity);
    expect(limits.loads.free).toBe(limits.loads.capacity);
  });

  it('loads an item once however many calls of the render ask for it, and counts each rendering of it', async () => {
    const store = new FakeStore(() => [10 * KB]);
    const limits = createContentLoadLimits();
    const calls = [call('a', 'one.example.com'), call('a', 'two.example.com'), call('b')];
    const result = await prefetchContent(calls, store.source, { limits, budgetBytes: 64 * KB });
    if (!result.ok) throw new Error(result.error);
    expect(store.loads.sort()).toEqual(['a', 'b']);
    expect(result.contents).toHaveLength(3);
    const hosts = result.contents.map(([, text]) => JSON.parse(text ?? 'null').host);
    expect(hosts.sort()).toEqual(['', 'one.example.com', 'two.example.com']);
    // Three renderings of ~10 KB are held until the render is over, then given back.
    const held = limits.memory.capacity - limits.memory.free;
    expect(held).toBeGreaterThan(30 * KB);
    expect(held).toBeLessThan(32 * KB);
    result.release();
    result.release();
    expect(limits.memory.free).toBe(limits.memory.capacity);

    // A second rendering of an item counts in full: many renderings cannot hide behind one load.
    const many = Array.from({ length: 7 }, (_, index) => call('a', `host${index}.example.com`));
    const over = await prefetchContent(many, store.source, { limits, budgetBytes: 64 * KB });
    expect(over).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('after 6 of 7') });
  });

  it('runs at most the worker’s number of loads at once, across renders', async () => {
    const store = new FakeStore(() => [KB, KB]);
    const limits = createContentLoadLimits(3, 64 * 256 * KB);
    const renders = Array.from({ length: 5 }, (_, render) =>
      prefetchContent(
        Array.from({ length: 8 }, (_, index) => call(`r${render}-${index}`)),
        store.source,
        { limits, budgetBytes: 256 * KB },
      ),
    );
    const results = await Promise.all(renders);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(store.loads).toHaveLength(40);
    expect(store.mostRunning).toBe(3);
  });

  it('makes a render wait for memory while the ceiling is taken, and postpones it after the wait limit', async () => {
    const store = new FakeStore(() => [KB], new Set(['first']));
    // Room for one render's budget only.
    const limits = createContentLoadLimits(4, 256 * KB);
    const first = prefetchContent([call('first')], store.source, { limits, budgetBytes: 256 * KB });
    await waitFor(() => store.loads.includes('first'), { what: 'the first render to start loading' });
    const second = prefetchContent([call('second')], store.source, { limits, budgetBytes: 256 * KB });
    await waitFor(() => limits.memory.waiting === 1, { what: 'the second render to wait for memory' });
    expect(store.loads).toEqual(['first']);
    store.open('first');
    const firstResult = await first;
    if (!firstResult.ok) throw new Error(firstResult.error);
    // The first render's loads are done, but what it loaded stays counted until its render is over.
    await new Promise((resolve) => setImmediate(resolve));
    expect(limits.memory.waiting).toBe(1);
    firstResult.release();
    const secondResult = await second;
    expect(secondResult.ok).toBe(true);
    if (secondResult.ok) secondResult.release();

    await limits.memory.acquire(limits.memory.capacity);
    const postponed = await prefetchContent([call('third')], store.source, {
      limits,
      budgetBytes: 256 * KB,
      waitMs: 50,
    });
    expect(postponed).toEqual({
      ok: false,
      retryable: true,
      error: "withDeliveryContentItem postponed: this worker's content loads were busy for 0.05 s",
    });
    expect(store.loads).not.toContain('third');
  });
});
