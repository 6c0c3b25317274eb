import { describe, expect, it } from 'vitest';
import { envelopeJson, envelopeOf } from '../../lib/events/envelope';

describe('the standard envelope', () => {
  it('is written the same way as an object and as text around the stored payload', () => {
    const head = {
      sequenceId: 7,
      id: 'e-1',
      name: 'dynamic-content.content-item.updated',
      requestId: 'r"1',
      resource: 'hub',
    };
    const payload = { id: 'x', nested: { list: [1, 'two', null] }, 'quote"key': '\u2028' };
    const text = envelopeJson(head, JSON.stringify(payload));
    expect(text).toBe(JSON.stringify(envelopeOf(head, payload)));
    expect(Object.keys(JSON.parse(text))).toEqual(['sequenceId', 'id', 'name', 'requestId', 'resource', 'payload']);
  });
});
