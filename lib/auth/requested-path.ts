/**
 * The page a request asked for, as proxy.ts hands it to the pages (a request header of its own),
 * so `requireUser` can send a signed-out visitor to `/login?next=<that page>`.
 */

export const REQUESTED_PATH_HEADER = 'x-herald-requested-path';

/** Path and query of a page request, without the router's cache-busting `_rsc` parameter. */
export function requestedPath(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete('_rsc');
  const query = search.toString();
  return `${url.pathname}${query ? `?${query}` : ''}`;
}
