/** What the queue hands a worker, and what a worker hands back after one attempt. */

export interface ClaimedDelivery {
  id: string;
  hubId: string;
  webhookId: string;
  attemptCount: number;
  chain: number;
  requestMethod: string | null;
  requestUrl: string | null;
  requestBody: string | null;
  /**
   * The event's payload as stored JSON text (null when the request was rendered already), and the
   * W3C traceparent stored with it (lib/tracing; null when there was none).
   */
  event: {
    id: string;
    sequenceId: number;
    name: string;
    requestId: string;
    payloadJson: string | null;
    traceParent: string | null;
  };
  /** rateLimit: deliveries per second at most, across all workers (null: none). */
  webhook: { active: boolean; version: number; disabledReason: string | null; rateLimit: number | null };
  /** How long after the claim it may start: a rate-limited webhook's deliveries are paced (0 otherwise). */
  startInMs: number;
}

export type DeliveryOutcome = 'DELIVERED' | 'RETRYING' | 'FAILED';

/**
 * What the first attempt rendered, kept so every later attempt sends the same request. The body
 * is kept only when a custom payload template made it: the standard envelope is rebuilt, byte for
 * byte, from the event (which never changes), so a delivery's row stays small.
 */
export interface RenderedRequest {
  method: string;
  url: string;
  /** Null: the standard envelope. */
  body: string | null;
}

export interface AttemptResult {
  deliveryId: string;
  webhookId: string;
  attemptCount: number;
  chain: number;
  outcome: DeliveryOutcome;
  nextAttemptAt: Date | null;
  /** Set on the attempt that rendered the request; later attempts keep what is stored. */
  rendered: RenderedRequest | null;
  payloadTemplate: string | null;
  urlTemplate: string | null;
  startedAt: Date;
  durationMs: number;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  error: string | null;
  /** The endpoint answered 410 Gone: turn the webhook off. */
  gone: boolean;
  /** False when nothing went out (render failed, webhook off): the endpoint's health is unknown. */
  sent: boolean;
}
