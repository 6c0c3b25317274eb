import { describe, expect, it } from 'vitest';
import { WebhookSlots } from '../../lib/delivery/webhook-slots';
import type { ClaimedDelivery } from '../../lib/outbox/types';

const claim = (webhookId: string, id: string) => ({ id, webhookId }) as ClaimedDelivery;

describe('per-webhook slots', () => {
  it('starts up to the share per webhook and defers the rest, freeing slots as deliveries end', () => {
    const slots = new WebhookSlots(2);
    const { start, defer } = slots.take([claim('a', '1'), claim('a', '2'), claim('a', '3'), claim('b', '4')]);
    expect(start.map((d) => d.id)).toEqual(['1', '2', '4']);
    expect(defer.map((d) => d.id)).toEqual(['3']);
    slots.release([claim('a', '1')]);
    expect(slots.take([claim('a', '3')]).start).toHaveLength(1);
  });

  it('hands a fast endpoint its surplus back soon, a hanging one only after its requests time out', () => {
    const slots = new WebhookSlots(1);
    for (let i = 0; i < 10; i++) {
      slots.observe('fast', 8);
      slots.observe('hanging', 10_000);
    }
    expect(slots.handBackDelay('fast', 10_000)).toBe(50);
    expect(slots.handBackDelay('hanging', 10_000)).toBe(10_000);
    expect(slots.handBackDelay('unknown', 10_000)).toBe(250);
    // An endpoint that starts hanging is held back longer with every timeout.
    const before = slots.handBackDelay('fast', 10_000);
    slots.observe('fast', 10_000);
    expect(slots.handBackDelay('fast', 10_000)).toBeGreaterThan(before);
  });
});
