import { describe, expect, it } from 'vitest';
import { SemaphoreWaitAborted, WeightedSemaphore } from '../../../lib/templates/weighted-semaphore';

/** Resolves after pending promise callbacks have run, so a grant that was due has happened. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WeightedSemaphore', () => {
  it('grants up to its capacity at once and makes the rest wait', async () => {
    const semaphore = new WeightedSemaphore(10);
    await semaphore.acquire(6);
    await semaphore.acquire(4);
    expect(semaphore.free).toBe(0);
    let granted = false;
    const waiting = semaphore.acquire(3).then(() => {
      granted = true;
    });
    await settle();
    expect(granted).toBe(false);
    semaphore.release(2);
    await settle();
    expect(granted).toBe(false);
    semaphore.release(1);
    await waiting;
    expect(granted).toBe(true);
    expect(semaphore.free).toBe(0);
  });

  it('serves waiters first come, first served: a small request does not overtake a large one', async () => {
    const semaphore = new WeightedSemaphore(10);
    await semaphore.acquire(10);
    const order: string[] = [];
    const large = semaphore.acquire(8).then(() => order.push('large'));
    const small = semaphore.acquire(1).then(() => order.push('small'));
    semaphore.release(5);
    await settle();
    // 5 free would fit the small one, but the large one is first in line.
    expect(order).toEqual([]);
    semaphore.release(5);
    await Promise.all([large, small]);
    expect(order).toEqual(['large', 'small']);
    expect(semaphore.free).toBe(1);
  });

  it('a waiter whose signal aborts leaves the line, holds nothing, and lets the next one through', async () => {
    const semaphore = new WeightedSemaphore(4);
    await semaphore.acquire(3);
    const controller = new AbortController();
    const blocked = semaphore.acquire(4, controller.signal);
    const next = semaphore.acquire(1);
    expect(semaphore.waiting).toBe(2);
    controller.abort();
    await expect(blocked).rejects.toBeInstanceOf(SemaphoreWaitAborted);
    await next;
    expect(semaphore.waiting).toBe(0);
    expect(semaphore.free).toBe(0);
    await expect(semaphore.acquire(1, AbortSignal.abort())).rejects.toBeInstanceOf(SemaphoreWaitAborted);
  });

  it('refuses a weight it could never grant, and never counts more than its capacity back', async () => {
    const semaphore = new WeightedSemaphore(4);
    await expect(semaphore.acquire(5)).rejects.toBeInstanceOf(RangeError);
    semaphore.release(10);
    expect(semaphore.free).toBe(4);
  });
});
