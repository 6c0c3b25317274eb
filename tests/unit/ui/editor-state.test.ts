import { describe, expect, it } from 'vitest';
import {
  afterSave,
  basicAuthValue,
  type EditableWebhook,
  fingerprint,
  initialState,
  toInput,
} from '../../../components/webhook-editor/editor-state';
import { basicAuthHeaderValue } from '../../../lib/webhooks/headers';

const saved: EditableWebhook = {
  id: '65f0c0ffee0000000000abcd',
  label: 'Search',
  events: ['dynamic-content.snapshot.published'],
  method: 'PUT',
  handlers: ['https://example.com/{{payload.id}}'],
  active: true,
  secret: 's'.repeat(128),
  disabledReason: null,
  headers: [
    { key: 'X-Plain', value: 'v', secret: false },
    { key: 'X-Api-Key', value: null, secret: true },
  ],
  filters: [
    { type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'a' }] },
    { type: 'in', arguments: [{ jsonPath: '$.payload.status' }, { value: ['x', 'y'] }] },
  ],
  customPayload: { value: '{{name}}' },
  notifications: [{ email: 'ops@example.com', confirmed: false }],
  rateLimit: 5,
};

describe('webhook editor state', () => {
  it('round-trips a saved webhook, keeping stored secret headers as null', () => {
    const input = toInput(initialState(saved));
    expect(input).toEqual({
      label: 'Search',
      events: ['dynamic-content.snapshot.published'],
      method: 'PUT',
      handlers: ['https://example.com/{{payload.id}}'],
      filters: saved.filters,
      headers: [
        { key: 'X-Plain', value: 'v', secret: false },
        { key: 'X-Api-Key', value: null, secret: true },
      ],
      customPayload: { type: 'text/x-handlebars-template', value: '{{name}}' },
      notifications: [{ email: 'ops@example.com' }],
      rateLimit: 5,
    });
    expect(toInput({ ...initialState(saved), rateLimit: ' ' }).rateLimit).toBeNull();
  });

  it('sends a secret header value only when edited, and masks it again after saving', () => {
    const state = initialState(saved);
    const edited = {
      ...state,
      headers: state.headers.map((h) => (h.secret ? { ...h, editing: true, value: 'new-key' } : h)),
    };
    expect(toInput(edited).headers[1]).toEqual({ key: 'X-Api-Key', value: 'new-key', secret: true });
    expect(fingerprint(edited)).not.toBe(fingerprint(state));
    const after = afterSave(edited);
    expect(toInput(after).headers[1]?.value).toBeNull();
    expect(fingerprint(after)).toBe(fingerprint(state));
  });

  it('drops empty values of an In filter and sends the standard payload as null', () => {
    const state = initialState(null);
    state.filters = [{ uid: 'f', type: 'in', jsonPath: '$.a', value: '', values: ['x', ''] }];
    const input = toInput(state);
    expect(input.filters).toEqual([{ type: 'in', arguments: [{ jsonPath: '$.a' }, { value: ['x'] }] }]);
    expect(input.customPayload).toBeNull();
    expect('secret' in input).toBe(false);
  });

  it('encodes basic auth like the domain core (UTF-8 included)', () => {
    expect(basicAuthValue('herald', 'p4ss:word')).toBe(basicAuthHeaderValue('herald', 'p4ss:word'));
    expect(basicAuthValue('jörg', 'pässwörd')).toBe(basicAuthHeaderValue('jörg', 'pässwörd'));
    expect(basicAuthValue('', '')).toBe(basicAuthHeaderValue('', ''));
  });
});
