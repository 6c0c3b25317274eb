/**
 * Limits on what an event payload may look like, checked on ingestion: JSONPath filters and
 * templates walk the payload recursively, so an unbounded depth would let one event stall the
 * server (or overflow its stack), and PostgreSQL cannot store U+0000 in text.
 */
export const MAX_PAYLOAD_DEPTH = 64;

/** The first problem with a payload, as a field path and a reason; null when it is fine. */
export function payloadProblem(payload: unknown): { path: string; message: string } | null {
  // Iterative, so a hostile depth cannot overflow the stack before it is measured.
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: payload, path: 'payload', depth: 1 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { path, message: 'may not contain the character U+0000' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_PAYLOAD_DEPTH) {
      return { path, message: `is nested more than ${MAX_PAYLOAD_DEPTH} levels deep` };
    }
    const entries = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value);
    for (const [key, child] of entries) {
      if (key.includes('\u0000')) return { path, message: 'may not contain the character U+0000 in a key' };
      stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}
