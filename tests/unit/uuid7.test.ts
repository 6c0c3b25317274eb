import { describe, expect, it } from 'vitest';
import { uuid7, uuid7For } from '../../lib/crypto/uuid7';

describe('uuid7', () => {
  it('is a version 7 UUID whose order follows creation, within one millisecond too', () => {
    const ids = Array.from({ length: 5000 }, () => uuid7(1_700_000_000_000));
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuid7(1_700_000_000_001) > (ids.at(-1) as string)).toBe(true);
  });

  it('derives the same version 7 id from the same time and name, ordered by the time', () => {
    const id = uuid7For(1_700_000_000_000, 'window|10.0.0.1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuid7For(1_700_000_000_000, 'window|10.0.0.1')).toBe(id);
    expect(uuid7For(1_700_000_000_000, 'window|10.0.0.2')).not.toBe(id);
    const timestamp = (1_700_000_000_000).toString(16).padStart(12, '0');
    expect(id.replace('-', '').slice(0, 12)).toBe(timestamp);
    expect(uuid7For(1_700_000_000_001, 'a') > uuid7For(1_700_000_000_000, 'b')).toBe(true);
  });
});
