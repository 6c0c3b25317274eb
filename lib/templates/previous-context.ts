/**
 * `previous` and `changes` in a template's context (the previous payload of the event's key, and
 * the payload's paths that differ from it): read only for templates that may use them. A textual
 * test, deliberately loose: a template that merely mentions either word costs one extra read of the
 * previous payload, while a parse-based test could miss `{{lookup this "previous"}}`.
 */
const MENTIONS = /\b(?:previous|changes)\b/;

export function usesPrevious(source: string): boolean {
  return MENTIONS.test(source);
}
