import type { AttemptResult } from '../outbox/types';
import type { EndpointVerdict } from './webhook-capacity';

/**
 * What one attempt says about the endpoint's health, for its share of slots: a timeout, a network
 * error, a 5xx, 408 or 429 is trouble; any other answer in time is fine (a 4xx is the receiver's
 * verdict on the request, not a sign it is struggling); an answer slower than `slowMs` earns
 * nothing; an attempt that sent nothing says nothing.
 */
export function endpointVerdict(result: AttemptResult, slowMs: number): EndpointVerdict {
  if (!result.sent) return 'none';
  const status = result.responseStatus;
  if (status === null || status >= 500 || status === 408 || status === 429) return 'trouble';
  return result.durationMs > slowMs ? 'slow' : 'ok';
}
