import { errorMessage } from '../errors';
import { HttpError } from './http';

/** The largest body of a route that takes one (events:batch excepted, see lib/api/ingest.ts). */
export const MAX_API_BODY_BYTES = 1024 * 1024;

/**
 * A JSON body (already read under its route's limit), or a 400 that says what is wrong with it.
 * Strings holding U+0000 are refused with the field's path: PostgreSQL text and jsonb cannot
 * store that character, so accepting it would only move the failure into a later write.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new HttpError(400, 'VALIDATION_ERROR', 'a JSON body is required', 'body');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = errorMessage(error);
    throw new HttpError(400, 'VALIDATION_ERROR', `body is not valid JSON: ${reason}`, 'body');
  }
  // JSON can only spell U+0000 as this escape (a raw one is invalid JSON): without it, skip the walk.
  if (!text.includes('\\u0000')) return body;
  const nul = pathOfNul(body);
  if (nul !== undefined) {
    const property = nul.path.join('.') || 'body';
    const what = nul.inKey ? 'a key in this object' : 'this string';
    throw new HttpError(
      400,
      'VALIDATION_ERROR',
      `${property}: ${what} contains the NUL character (\\u0000), which cannot be stored`,
      property,
    );
  }
  return body;
}

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | undefined;
}

function pathOf(visit: Visit): string[] {
  const path: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** The first string (value or key) holding U+0000. Iterative, because a body may nest deeply. */
export function pathOfNul(root: unknown): { path: string[]; inKey: boolean } | undefined {
  const stack: Visit[] = [{ value: root, key: '', parent: undefined }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path: pathOf(visit), inKey: false };
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        stack.push({ value: value[index], key: String(index), parent: visit });
      }
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      if (entries.some(([key]) => key.includes('\u0000'))) return { path: pathOf(visit), inKey: true };
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index] ?? ['', undefined];
        stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return undefined;
}
