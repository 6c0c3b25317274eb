/** A content item could not be fetched (as opposed to "not found", which is a `null` result). */
export class ContentFetchError extends Error {
  override name = 'ContentFetchError';
}
