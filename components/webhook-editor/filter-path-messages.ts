import { jsonPathError } from '@/lib/filters/json-path';

/** How the API's own JSONPath refusals begin (lib/filters/json-path.ts, jsonPathError). */
const PATH_REFUSAL = /^(invalid JSONPath|JSONPath refused) /;

/**
 * What is wrong with a filter's path, as it is typed: the check the API makes on save, in plain
 * TypeScript (zod stays out of the browser), so the field is marked before and after saving alike.
 * The last save's path refusals are dropped: they were about the text as it was then, and the
 * check of the text as it is now replaces them. Other messages of the last save stay.
 */
export function filterPathMessages(jsonPath: string, saved: readonly string[] | undefined): string[] | undefined {
  const typed = jsonPath.trim() === '' ? null : jsonPathError(jsonPath.trim());
  const messages = [...(typed ? [typed] : []), ...(saved ?? []).filter((message) => !PATH_REFUSAL.test(message))];
  return messages.length > 0 ? messages : undefined;
}
