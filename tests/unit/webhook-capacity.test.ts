import { describe, expect, it } from 'vitest';
import { type CapacitySettings, WebhookCapacity } from '../../lib/delivery/webhook-capacity';

const SETTINGS: CapacitySettings = { initial: 4, max: 10, openAfter: 3, cooldownMs: 1000, longestCooldownMs: 4000 };

function capacityAt(start = 0) {
  const clock = { now: start };
  return { capacity: new WebhookCapacity(SETTINGS, () => clock.now), clock };
}

function fill(capacity: WebhookCapacity, id: string): number {
  let started = 0;
  while (capacity.start(id)) started++;
  return started;
}

describe('per-webhook capacity', () => {
  it('starts a webhook with a few slots and grows it by one per answer that came back well, up to the maximum', () => {
    const { capacity } = capacityAt();
    expect(fill(capacity, 'a')).toBe(4);
    for (let i = 0; i < 4; i++) capacity.finish('a', 'ok');
    expect(capacity.limit('a')).toBe(8);
    for (let round = 0; round < 5; round++) {
      const started = fill(capacity, 'a');
      for (let i = 0; i < started; i++) capacity.finish('a', 'ok');
    }
    expect(capacity.limit('a')).toBe(10);
  });

  it('does not grow a webhook whose answers are slow, and halves it on trouble', () => {
    const { capacity } = capacityAt();
    fill(capacity, 'a');
    for (let i = 0; i < 4; i++) capacity.finish('a', 'slow');
    expect(capacity.limit('a')).toBe(4);
    fill(capacity, 'a');
    capacity.finish('a', 'trouble');
    expect(capacity.limit('a')).toBe(2);
  });

  it('rests an endpoint after failures in a row, then lets one probe through, and closes on its success', () => {
    const { capacity, clock } = capacityAt();
    fill(capacity, 'hanging');
    for (let i = 0; i < 3; i++) capacity.finish('hanging', 'trouble');
    expect(capacity.breaker('hanging')).toBe('open');
    capacity.finish('hanging', 'trouble');
    expect(capacity.available('hanging')).toBe(0);
    expect(capacity.shares().excluded).toEqual(['hanging']);
    clock.now = 1000;
    expect(capacity.breaker('hanging')).toBe('half-open');
    expect(fill(capacity, 'hanging')).toBe(1);
    capacity.finish('hanging', 'ok');
    expect(capacity.breaker('hanging')).toBe('closed');
    expect(capacity.limit('hanging')).toBe(1);
  });

  it('rests an endpoint longer each time its probe fails, up to the longest cooldown', () => {
    const { capacity, clock } = capacityAt();
    fill(capacity, 'down');
    for (let i = 0; i < 4; i++) capacity.finish('down', 'trouble');
    const rests: number[] = [];
    for (let probe = 0; probe < 4; probe++) {
      clock.now = capacity.restingUntil('down');
      expect(capacity.start('down')).toBe(true);
      capacity.finish('down', 'trouble');
      rests.push(capacity.restingUntil('down') - clock.now);
    }
    expect(rests).toEqual([2000, 4000, 4000, 4000]);
  });

  it('a probe that sent nothing lets another delivery probe', () => {
    const { capacity, clock } = capacityAt();
    fill(capacity, 'a');
    for (let i = 0; i < 4; i++) capacity.finish('a', 'trouble');
    clock.now = 1000;
    expect(capacity.start('a')).toBe(true);
    expect(capacity.available('a')).toBe(0);
    capacity.finish('a', 'none');
    expect(capacity.available('a')).toBe(1);
  });

  it('tells the claim which webhooks may start nothing and which may start other than the default', () => {
    const { capacity } = capacityAt();
    fill(capacity, 'full');
    capacity.start('partly');
    const { excluded, caps } = capacity.shares();
    expect(excluded).toEqual(['full']);
    expect(caps.get('partly')).toBe(3);
    expect(capacity.available('unknown')).toBe(4);
  });
});
