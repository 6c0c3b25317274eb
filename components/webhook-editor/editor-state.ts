import type { FieldErrorLike } from '@/components/ui/field-errors';

import { CUSTOM_PAYLOAD_TYPE, type WebhookMethod } from '@/lib/webhooks/webhook-constants';

export type FilterKind = 'equal' | 'in' | 'changed';

export interface FilterRow {
  uid: string;
  type: FilterKind;
  jsonPath: string;
  value: string;
  values: string[];
}

export interface HeaderRow {
  uid: string;
  key: string;
  value: string;
  secret: boolean;
  /** A secret header whose value is stored on the server (shown masked until "edit"). */
  stored: boolean;
  editing: boolean;
}

export interface EditorState {
  label: string;
  events: string[];
  method: WebhookMethod;
  url: string;
  filters: FilterRow[];
  headers: HeaderRow[];
  customSecret: string | null;
  payloadMode: 'standard' | 'custom';
  template: string;
  /** The one notification address; empty for none. */
  notificationEmail: string;
  /** Deliveries per second at most, as typed; empty for no limit. */
  rateLimit: string;
  /** `every` event, or only the `latest` version per key; debounce (seconds) and key path as typed. */
  deliveryMode: 'every' | 'latest';
  debounceSeconds: string;
  deliveryKey: string;
}

/** What the editor needs of a saved webhook (plain data, passed from the server). */
export interface EditableWebhook {
  id: string;
  label: string;
  events: string[];
  method: WebhookMethod;
  handlers: string[];
  active: boolean;
  /** Null when the server cannot decrypt it. */
  secret: string | null;
  disabledReason: string | null;
  headers: { key: string; value: string | null; secret: boolean }[];
  filters: (
    | { type: 'equal' | 'in'; arguments: [{ jsonPath: string }, { value: string | string[] }] }
    | { type: 'changed'; arguments: [{ jsonPath: string }] }
  )[];
  customPayload: { value: string } | null;
  /** `confirmed`: Herald may mail the address yet (see lib/notifications/addresses.ts). */
  notifications: { email: string; confirmed: boolean }[];
  rateLimit: number | null;
  delivery: { mode: 'every' | 'latest'; debounceSeconds: number; key: string | null };
}

let counter = 0;
export const uid = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

export const DEFAULT_TEMPLATE = `{
  "event": "{{name}}",
  "id": "{{payload.id}}"
}
`;

export function initialState(webhook: EditableWebhook | null): EditorState {
  if (!webhook) {
    return {
      label: '',
      events: [],
      method: 'POST',
      url: '',
      filters: [],
      headers: [],
      customSecret: null,
      payloadMode: 'standard',
      template: DEFAULT_TEMPLATE,
      notificationEmail: '',
      rateLimit: '',
      deliveryMode: 'every',
      debounceSeconds: '0',
      deliveryKey: '',
    };
  }
  return {
    label: webhook.label,
    events: webhook.events,
    method: webhook.method,
    url: webhook.handlers[0] ?? '',
    filters: webhook.filters.map((filter) => {
      const value = filter.type === 'changed' ? '' : filter.arguments[1].value;
      return {
        uid: uid('filter'),
        type: filter.type,
        jsonPath: filter.arguments[0].jsonPath,
        value: typeof value === 'string' ? value : '',
        values: Array.isArray(value) ? value : [typeof value === 'string' ? value : ''],
      };
    }),
    headers: webhook.headers.map((header) => ({
      uid: uid('header'),
      key: header.key,
      value: header.value ?? '',
      secret: header.secret,
      stored: header.secret,
      editing: false,
    })),
    customSecret: null,
    payloadMode: webhook.customPayload ? 'custom' : 'standard',
    template: webhook.customPayload?.value ?? DEFAULT_TEMPLATE,
    notificationEmail: webhook.notifications[0]?.email ?? '',
    rateLimit: webhook.rateLimit === null ? '' : String(webhook.rateLimit),
    deliveryMode: webhook.delivery.mode,
    debounceSeconds: String(webhook.delivery.debounceSeconds),
    deliveryKey: webhook.delivery.key ?? '',
  };
}

export function filterInput(filter: FilterRow) {
  if (filter.type === 'changed') return { type: 'changed' as const, arguments: [{ jsonPath: filter.jsonPath }] };
  return filter.type === 'equal'
    ? { type: 'equal' as const, arguments: [{ jsonPath: filter.jsonPath }, { value: filter.value }] }
    : {
        type: 'in' as const,
        arguments: [{ jsonPath: filter.jsonPath }, { value: filter.values.filter((v) => v !== '') }],
      };
}

/** The webhook as the domain core takes it (create input, or a PATCH with every field). */
export function toInput(state: EditorState) {
  return {
    label: state.label,
    events: state.events,
    method: state.method,
    handlers: [state.url],
    filters: state.filters.map(filterInput),
    headers: state.headers.map((header) => ({
      key: header.key,
      // A stored secret not being edited keeps its value on the server.
      value: header.secret && header.stored && !header.editing ? null : header.value,
      secret: header.secret,
    })),
    customPayload: state.payloadMode === 'custom' ? { type: CUSTOM_PAYLOAD_TYPE, value: state.template } : null,
    notifications: notificationAddresses(state.notificationEmail).map((email) => ({ email })),
    // Sent as typed: the server says what is wrong with "abc" or 0, beside the field.
    rateLimit: state.rateLimit.trim() === '' ? null : Number(state.rateLimit.trim()),
    delivery: deliveryInput(state),
    // An opened but empty "Set your own secret" keeps the current (generated) secret: no empty secret is sent.
    ...(state.customSecret !== null && state.customSecret.trim() !== '' ? { secret: state.customSecret } : {}),
  };
}

/** `every` sends only the mode (its debounce and key mean nothing); `latest` sends them as typed. */
export function deliveryInput(state: EditorState) {
  if (state.deliveryMode === 'every') return { mode: 'every' as const };
  const debounce = state.debounceSeconds.trim();
  return {
    mode: 'latest' as const,
    // Sent as typed: the server says what is wrong with "abc" or 5000, beside the field.
    debounceSeconds: debounce === '' ? 0 : Number(debounce),
    key: state.deliveryKey.trim() === '' ? null : state.deliveryKey.trim(),
  };
}

/**
 * The addresses typed in the one notification field: people paste "a@x.com, b@y.com" or one per
 * line. Commas, semicolons and white space cannot be in an address Herald accepts, so they separate.
 */
export function notificationAddresses(text: string): string[] {
  return text.split(/[\s,;]+/).filter((address) => address !== '');
}

export const ONE_ADDRESS_MESSAGE = 'Only one address is allowed';

/**
 * What the editor refuses before asking the server: the server would answer two addresses with
 * the API's "Cannot exceed the maximum of 1 notification", which reads oddly beside one field.
 */
export function localErrors(state: EditorState): FieldErrorLike[] {
  const errors: FieldErrorLike[] = [];
  if (notificationAddresses(state.notificationEmail).length > 1) {
    errors.push({ field: 'notifications', message: ONE_ADDRESS_MESSAGE });
  }
  return errors;
}

/** What the form looks like once saved: typed secret values are stored and masked again. */
export function afterSave(state: EditorState): EditorState {
  return {
    ...state,
    headers: state.headers.map((header) =>
      header.secret ? { ...header, value: '', stored: true, editing: false } : header,
    ),
    customSecret: null,
  };
}

/** For the unsaved-changes check: two states that would save the same webhook compare equal. */
export function fingerprint(state: EditorState): string {
  const input = toInput(state);
  return JSON.stringify({
    ...input,
    headers: state.headers.map((h) => [h.key, h.secret, h.editing ? h.value : h.stored]),
  });
}

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function basicAuthValue(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

export type Errors = readonly FieldErrorLike[];

/** What each section of the editor is given: the state, a way to change it, and the errors to show. */
export interface EditorSectionProps {
  state: EditorState;
  update: (patch: Partial<EditorState>) => void;
  errors: Errors;
}
