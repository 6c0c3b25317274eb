/**
 * The headers Herald sets on every request, in the order it sends them. Custom headers may not
 * replace them, except Content-Type.
 */
export const STANDARD_HEADER_NAMES = {
  amplienceSignature: 'X-Amplience-Webhook-Signature',
  contentType: 'Content-Type',
  userAgent: 'User-Agent',
  contentLength: 'Content-Length',
  webhookId: 'webhook-id',
  webhookTimestamp: 'webhook-timestamp',
  webhookSignature: 'webhook-signature',
} as const;

/** Standard headers a custom header may replace. */
export const REPLACEABLE_STANDARD_HEADERS: ReadonlySet<string> = new Set(['content-type']);

/** Lower-case, for comparing with header names as users type them. */
export const STANDARD_HEADERS: readonly string[] = Object.values(STANDARD_HEADER_NAMES).map((name) =>
  name.toLowerCase(),
);
