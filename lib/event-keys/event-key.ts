import { parseJsonPath } from '../filters/json-path';
import { selectValues } from '../filters/select';

/**
 * What "the same thing" is across events: the content item (or edition) an event is about. Content
 * teams save one item many times; Herald keys its versions so a webhook can deliver only the
 * newest, debounce a burst, or compare with the previous version.
 */

/** The longest key Herald keeps; a longer value has no key (it is delivered as in `every` mode). */
export const MAX_EVENT_KEY_LENGTH = 256;

/**
 * The default key path of an event: snapshots are about their root content item (an edition's
 * snapshot has none, so its own id), everything else about `payload.id`.
 */
export function defaultKeyPaths(eventName: string): readonly string[] {
  return eventName === 'dynamic-content.snapshot.published'
    ? ['$.payload.rootContentItem.id', '$.payload.id']
    : ['$.payload.id'];
}

function keyText(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_EVENT_KEY_LENGTH ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** The key at one path of the envelope: the first value there that is a non-empty string or a number. */
export function keyAt(envelope: unknown, jsonPath: string): string | null {
  const parsed = parseJsonPath(jsonPath);
  if (!parsed.ok) return null;
  const selection = selectValues(parsed.path, envelope);
  if (!selection.ok) return null;
  for (const value of selection.values) {
    const key = keyText(value);
    if (key !== null) return key;
  }
  return null;
}

/**
 * An event's key: at `jsonPath` when the webhook names one, else at the default paths in order.
 * null when there is none (such an event is never superseded and has no previous version).
 */
export function eventKey(envelope: { name: string }, jsonPath?: string | null): string | null {
  for (const path of jsonPath ? [jsonPath] : defaultKeyPaths(envelope.name)) {
    const key = keyAt(envelope, path);
    if (key !== null) return key;
  }
  return null;
}
