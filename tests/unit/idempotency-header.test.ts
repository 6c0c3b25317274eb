import { describe, expect, it } from 'vitest';
import { HttpError } from '../../lib/api/http';
import { idempotencyKeyOf } from '../../lib/api/idempotency-header';

describe('idempotencyKeyOf', () => {
  it('takes 1 to 255 visible ASCII characters as they are', () => {
    expect(idempotencyKeyOf('a')).toBe('a');
    expect(idempotencyKeyOf('k'.repeat(255))).toBe('k'.repeat(255));
    expect(idempotencyKeyOf('!~"{}[]\\/:;=?@')).toBe('!~"{}[]\\/:;=?@');
  });

  it('is undefined without the header', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf(null)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'a b'],
    ['a tab', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['non-ASCII', 'caf\u00e9'],
  ])('refuses %s with 400 naming the header', (_, key) => {
    let thrown: unknown;
    try {
      idempotencyKeyOf(key);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', property: 'Idempotency-Key' });
  });

  it('refuses a header sent twice (one request names one key)', () => {
    expect(() => idempotencyKeyOf(['a', 'b'])).toThrow(HttpError);
  });
});
