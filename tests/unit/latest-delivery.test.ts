import { describe, expect, it } from 'vitest';
import { debounceWindow, MAX_WAIT_FACTOR } from '../../lib/event-keys/delivery-mode';
import { type KeyedDelivery, supersedeWithinBatch } from '../../lib/events/latest-plan';
import { ZDeliverySettings } from '../../lib/webhooks/delivery-settings';

describe('debounceWindow', () => {
  it('waits the debounce after a save, and at most 10 × it after the key began waiting', () => {
    expect(MAX_WAIT_FACTOR).toBe(10);
    expect(debounceWindow(2)).toEqual({ debounceMs: 2000, maxWaitMs: 20_000 });
    expect(debounceWindow(3600)).toEqual({ debounceMs: 3_600_000, maxWaitMs: 36_000_000 });
    expect(debounceWindow(0)).toEqual({ debounceMs: 0, maxWaitMs: 0 });
  });
});

describe('ZDeliverySettings', () => {
  const issues = (input: unknown) => {
    const result = ZDeliverySettings.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('defaults to every event, no debounce, the default key', () => {
    expect(ZDeliverySettings.parse({})).toEqual({ mode: 'every', debounceSeconds: 0, key: null });
    expect(ZDeliverySettings.parse({ mode: 'latest', key: ' ' })).toEqual({
      mode: 'latest',
      debounceSeconds: 0,
      key: null,
    });
    expect(ZDeliverySettings.parse({ mode: 'latest', debounceSeconds: 3600, key: '$.payload.body.slug' })).toEqual({
      mode: 'latest',
      debounceSeconds: 3600,
      key: '$.payload.body.slug',
    });
  });

  it('names the field and the range of what is wrong', () => {
    expect(issues({ mode: 'latest', debounceSeconds: -1 })).toEqual(['debounceSeconds: must be 0–3600']);
    expect(issues({ mode: 'latest', debounceSeconds: '5' })).toEqual([
      'debounceSeconds: must be a number of seconds, 0–3600',
    ]);
    expect(issues({ mode: 'all' })).toEqual(['mode: must be "every" or "latest"']);
    expect(issues({ mode: 'latest', key: '$..a..b' })[0]).toMatch(/^key: JSONPath refused "\$\.\.a\.\.b"/);
    expect(issues({ debounceSeconds: 5 })).toEqual([
      'debounceSeconds: a debounce needs "mode": "latest" (it delivers only the last version of a burst)',
    ]);
    expect(issues('latest')).toEqual([
      ': delivery must be an object such as { "mode": "latest", "debounceSeconds": 0 }',
    ]);
  });
});

describe('supersedeWithinBatch', () => {
  const delivery = (id: string, webhookId: string, key: string | null, status: KeyedDelivery['status'] = 'QUEUED') => ({
    id,
    webhookId,
    status,
    deliveryKey: key,
    supersededBy: null,
    debounceMs: 0,
    maxWaitMs: 0,
  });

  it('keeps only the newest queued delivery per webhook and key, each older one linked to the next', () => {
    const batch: KeyedDelivery[] = [
      delivery('a1', 'w1', 'item-a'),
      delivery('a1-other-webhook', 'w2', 'item-a'),
      delivery('b1', 'w1', 'item-b'),
      delivery('a2', 'w1', 'item-a'),
      delivery('a3-filtered', 'w1', 'item-a', 'FILTERED'),
      delivery('unkeyed', 'w1', null),
      delivery('a4', 'w1', 'item-a'),
    ];
    supersedeWithinBatch(batch);
    expect(batch.map((d) => [d.id, d.status, d.supersededBy])).toEqual([
      ['a1', 'SUPERSEDED', 'a2'],
      ['a1-other-webhook', 'QUEUED', null],
      ['b1', 'QUEUED', null],
      ['a2', 'SUPERSEDED', 'a4'],
      ['a3-filtered', 'FILTERED', null],
      ['unkeyed', 'QUEUED', null],
      ['a4', 'QUEUED', null],
    ]);
  });
});
