/** A content item could not be fetched (as opposed to "not found", which is a `null` result). */
export class ContentFetchError extends Error {
  override name = 'ContentFetchError';
}

/** Settles with `promise`, or rejects with a ContentFetchError after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ContentFetchError(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
