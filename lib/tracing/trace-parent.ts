/**
 * W3C Trace Context's `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header),
 * read without the SDK: with tracing off, Herald still carries a producer's trace context from the
 * emit to every delivery of its events, so the receiver's trace joins the producer's.
 */

const VERSION_00 = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-|$)/;
const ZEROS_32 = '0'.repeat(32);
const ZEROS_16 = '0'.repeat(16);

/**
 * The header as version 00 (the one version Herald speaks), or null when it is not one: a trace or
 * parent id of zeros, upper-case hex, version ff, or a version-00 header with anything after it.
 * A later version's extra fields are dropped, as the specification asks of a version-00 reader.
 */
export function normalizeTraceparent(value: string | readonly string[] | undefined | null): string | null {
  const header = Array.isArray(value) ? value[0] : value;
  if (typeof header !== 'string' || header.length < 55) return null;
  // What nearly every producer sends, checked without building a new string.
  if (header.length === 55 && VERSION_00.test(header)) {
    return header.startsWith(ZEROS_32, 3) || header.startsWith(ZEROS_16, 36) ? null : header;
  }
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return null;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === 'ff' || traceId === ZEROS_32 || parentId === ZEROS_16) return null;
  if (version === '00' && rest === '-') return null;
  return `00-${traceId}-${parentId}-${flags}`;
}

/** The trace id of a valid traceparent (for tests and logs). */
export function traceIdOf(traceparent: string): string {
  return traceparent.slice(3, 35);
}
