/**
 * How a caller steers one content load: it may stop it (the query is cancelled, the HTTP request
 * aborted) and is told the size of each piece of content as it arrives, before it is parsed, so
 * it can stop the load by throwing (a render's content budget does). `bytesLeft` says how much more
 * it will take: Herald's store then does not even send what would go over.
 */
export interface LoadControl {
  signal?: AbortSignal;
  onBytes?: (bytes: number) => void;
  bytesLeft?: () => number;
}

/** Why `signal` aborted, when the reason is an Error worth passing on (a budget exceeded). */
export function abortReason(signal: AbortSignal | undefined): Error | undefined {
  return signal?.aborted && signal.reason instanceof Error ? signal.reason : undefined;
}
