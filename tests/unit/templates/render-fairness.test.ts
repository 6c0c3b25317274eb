import { describe, expect, it } from 'vitest';
import { FairQueue, KeyHealth } from '../../../lib/templates/render-fairness';

function drain(queue: FairQueue<string>, eligible: (key: string) => boolean = () => true): string[] {
  const taken: string[] = [];
  for (let item = queue.take(eligible); item !== undefined; item = queue.take(eligible)) taken.push(item);
  return taken;
}

describe('FairQueue', () => {
  it('serves keys in turn, so a long backlog does not hold back a later key', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2', 'a3', 'a4']) queue.push('a', item);
    queue.push('b', 'b1');
    queue.push('c', 'c1');
    queue.push('b', 'b2');
    expect(queue.size).toBe(7);
    expect(drain(queue)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    expect(queue.size).toBe(0);
  });

  it('skips keys that may not run now and keeps their jobs in order', () => {
    const queue = new FairQueue<string>();
    for (const item of ['a1', 'a2']) queue.push('a', item);
    for (const item of ['b1', 'b2']) queue.push('b', item);
    expect(drain(queue, (key) => key === 'b')).toEqual(['b1', 'b2']);
    expect(drain(queue)).toEqual(['a1', 'a2']);
  });

  it('puts jobs back at the front of their lane, removes one, drains a key or everything', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'a2');
    queue.unshift('a', 'a1');
    queue.push('b', 'b1');
    queue.push('b', 'b2');
    queue.push('c', 'c1');
    expect(queue.remove('b', 'b2')).toBe(true);
    expect(queue.remove('b', 'b2')).toBe(false);
    expect(queue.drain('c')).toEqual(['c1']);
    expect(queue.size).toBe(3);
    expect(drain(queue)).toEqual(['a1', 'b1', 'a2']);
    queue.push('x', 'x1');
    expect(queue.drainAll()).toEqual(['x1']);
    expect(queue.take(() => true)).toBeUndefined();
  });
});

describe('KeyHealth', () => {
  const options = { parkAfter: 3, parkMs: 60_000, suspectMs: 300_000, fastMs: 500 };

  it('trusts a key once a render finished quickly', () => {
    const health = new KeyHealth(options);
    expect(health.status('a', 0)).toBe('new');
    health.finished('a', 900);
    expect(health.status('a', 0)).toBe('new');
    health.finished('a', 10);
    expect(health.status('a', 0)).toBe('trusted');
  });

  it('suspects a key after a stopped render, parks it after three in a row, then lets it try again', () => {
    const health = new KeyHealth(options);
    health.finished('a', 10);
    expect(health.stopped('a', 1000)).toBe(false);
    expect(health.status('a', 1000)).toBe('suspect');
    expect(health.stopped('a', 2000)).toBe(false);
    expect(health.stopped('a', 3000)).toBe(true);
    expect(health.status('a', 3000)).toBe('parked');
    expect(health.strikes('a')).toBe(3);
    expect(health.parkedFor('a', 4000)).toBe(59_000);

    // After the cool-down it renders again, alone, until it proves itself.
    expect(health.status('a', 63_000)).toBe('suspect');
    expect(health.status('a', 303_001)).toBe('new');
    // One more stopped render right away parks it again: the run of strikes goes on.
    expect(health.stopped('a', 63_000)).toBe(true);
  });

  it('a render that finishes ends the run of strikes', () => {
    const health = new KeyHealth(options);
    health.stopped('a', 0);
    health.stopped('a', 0);
    health.finished('a', 10);
    expect(health.strikes('a')).toBe(0);
    expect(health.stopped('a', 0)).toBe(false);
  });

  it('forgets the least recently seen keys beyond its bound', () => {
    const health = new KeyHealth({ ...options, maxKeys: 2 });
    health.finished('a', 10);
    health.finished('b', 10);
    health.finished('a', 10);
    health.finished('c', 10);
    expect(['a', 'b', 'c'].map((key) => health.status(key, 0))).toEqual(['trusted', 'new', 'trusted']);
  });
});
