/**
 * Where a sign-in goes next (`/login?next=…`): a page of this Herald, never another site. Only a
 * relative path that names this origin is kept; everything a browser could read as another host
 * is refused: `//evil.example` (protocol-relative), `/\evil.example` (browsers turn `\` into `/`),
 * `https://…` and `javascript:` (absolute), and control characters (a browser drops tabs and
 * newlines, so `/\t/evil.example` would become `//evil.example`). Pure, for server and client.
 */

/** The longest `next` kept: a deep link with its filters fits, a padded attack does not. */
export const MAX_NEXT_PATH = 2048;

// A base that can never be a real origin: a path that leaves it was not relative.
const BASE = 'http://herald.invalid';

/** The path, query and fragment to go to after signing in, or null when `value` is not a safe one. */
export function safeNextPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NEXT_PATH) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  // Backslashes and control characters (C0, DEL, C1) have no business in a link Herald makes.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (/[\\\u0000-\u001f\u007f-\u009f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The sign-in pages themselves would only send the user round again.
  if (/^\/(login|setup|invite)(\/|\?|#|$)/.test(url.pathname)) return null;
  return path;
}

/** The sign-in page that comes back to `path` afterwards (just `/login` for the home page). */
export function loginPathFor(path: string | null): string {
  const next = safeNextPath(path);
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}
