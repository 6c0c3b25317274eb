import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultKeyPaths, eventKey, keyAt, MAX_EVENT_KEY_LENGTH } from '../../lib/event-keys/event-key';

function fixture(name: string): { name: string; payload: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`../../lib/events/samples/${name}.json`, import.meta.url), 'utf8'));
}

describe('eventKey', () => {
  it('keys content-item and edition events by payload.id', () => {
    const updated = fixture('content-item.updated');
    expect(eventKey(updated)).toBe(updated.payload.id);
    const edition = fixture('edition.published');
    expect(eventKey(edition)).toBe(edition.payload.id);
  });

  it('keys a snapshot by its root content item, an edition snapshot by its own id', () => {
    const item = fixture('snapshot.published.content-item');
    expect(eventKey(item)).toBe((item.payload.rootContentItem as { id: string }).id);
    const edition = fixture('snapshot.published.edition');
    expect(defaultKeyPaths(edition.name)).toHaveLength(2);
    expect(eventKey(edition)).toBe(edition.payload.id);
  });

  it("uses the webhook's own path when it names one", () => {
    const event = { name: 'x', payload: { id: 'a', body: { slug: 'home', n: 3 } } };
    expect(eventKey(event, '$.payload.body.slug')).toBe('home');
    expect(keyAt(event, '$.payload.body.n')).toBe('3');
  });

  it('has no key for a missing, empty, structured or oversized value', () => {
    expect(eventKey({ name: 'x', payload: {} } as { name: string })).toBeNull();
    expect(keyAt({ payload: { id: '' } }, '$.payload.id')).toBeNull();
    expect(keyAt({ payload: { id: { a: 1 } } }, '$.payload.id')).toBeNull();
    expect(keyAt({ payload: { id: 'x'.repeat(MAX_EVENT_KEY_LENGTH + 1) } }, '$.payload.id')).toBeNull();
    expect(keyAt({ payload: { id: 'a' } }, '$..[')).toBeNull();
  });
});
