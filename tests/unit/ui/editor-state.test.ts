import { describe, expect, it } from 'vitest';
import {
  afterSave,
  basicAuthValue,
  type EditableWebhook,
  fingerprint,
  initialState,
  localErrors,
  ONE_ADDRESS_MESSAGE,
  toInput,
} from '../../../components/webhook-editor/editor-state';
import { basicAuthHeaderValue } from '../../../lib/webhooks/headers';
import { ZWebhookInput } from '../../../lib/webhooks/types';

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
  delivery: { mode: 'latest', debounceSeconds: 30, key: null },
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
      delivery: { mode: 'latest', debounceSeconds: 30, key: null },
    });
    expect(toInput({ ...initialState(saved), rateLimit: ' ' }).rateLimit).toBeNull();
    // Every mode sends only the mode; a typed key is sent trimmed, an empty debounce as 0.
    expect(toInput({ ...initialState(saved), deliveryMode: 'every' }).delivery).toEqual({ mode: 'every' });
    expect(toInput({ ...initialState(saved), debounceSeconds: '', deliveryKey: ' $.resource ' }).delivery).toEqual({
      mode: 'latest',
      debounceSeconds: 0,
      key: '$.resource',
    });
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

  it('refuses two notification addresses with one message, before asking the server', () => {
    for (const typed of [
      'a@example.com, b@example.com',
      'a@example.com;b@example.com',
      'a@example.com b@example.com',
    ]) {
      const state = { ...initialState(null), notificationEmail: typed };
      expect(localErrors(state)).toEqual([{ field: 'notifications', message: ONE_ADDRESS_MESSAGE }]);
      expect(toInput(state).notifications).toEqual([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    }
    expect(localErrors({ ...initialState(null), notificationEmail: ' ops@example.com ' })).toEqual([]);
    expect(toInput({ ...initialState(null), notificationEmail: ' ops@example.com ' }).notifications).toEqual([
      { email: 'ops@example.com' },
    ]);
    expect(toInput({ ...initialState(null), notificationEmail: '  ' }).notifications).toEqual([]);
  });

  it('an empty form gets one message per field', () => {
    const parsed = ZWebhookInput.safeParse(toInput(initialState(null)));
    const fields = (parsed.error?.issues ?? []).map((issue) => issue.path.join('.'));
    expect(fields.sort()).toEqual(['events', 'handlers.0', 'label']);
    const blank = ZWebhookInput.safeParse({ ...toInput(initialState(null)), handlers: ['   '] });
    expect(blank.error?.issues.map((issue) => issue.message)).toContain('URL is required');
    expect(blank.error?.issues.filter((issue) => issue.path.join('.') === 'handlers.0')).toHaveLength(1);
  });

  it('an empty "Set your own secret" keeps the current secret and leaves the form unchanged', () => {
    const state = initialState(saved);
    for (const customSecret of ['', '   ']) {
      const opened = { ...state, customSecret };
      expect('secret' in toInput(opened)).toBe(false);
      expect(fingerprint(opened)).toBe(fingerprint(state));
    }
    expect(toInput({ ...state, customSecret: 'x'.repeat(20) }).secret).toBe('x'.repeat(20));
  });
});
