import { z } from 'zod';
import { HttpError } from './http';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** 1 to 255 visible ASCII characters (`!` to `~`): no spaces, no control or non-ASCII characters. */
const ZIdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 visible ASCII characters (! to ~)`);

/**
 * The request's Idempotency-Key, or undefined without one; 400 naming the header when it is
 * malformed. Node joins a repeated header with ", ", which the rule refuses: a request names one key.
 */
export function idempotencyKeyOf(header: string | string[] | null | undefined): string | undefined {
  if (header === undefined || header === null) return undefined;
  const parsed = ZIdempotencyKey.safeParse(Array.isArray(header) ? header.join(', ') : header);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? `${IDEMPOTENCY_KEY_HEADER} is malformed`;
    throw new HttpError(400, 'VALIDATION_ERROR', message, IDEMPOTENCY_KEY_HEADER);
  }
  return parsed.data;
}
