import type { AttemptResult } from './types';

/**
 * PostgreSQL text and jsonb refuse U+0000, and jsonb refuses lone UTF-16 surrogates. A template
 * or a receiver can produce either; what the activity log keeps is made storable here, so one
 * odd value can never keep an outcome from being written.
 */
export function storableText(value: string): string {
  const wellFormed = value.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replaceAll('\u0000', '\uFFFD') : wellFormed;
}

function storableRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) out[storableText(key)] = storableText(value);
  return out;
}

const text = (value: string | null): string | null => (value === null ? null : storableText(value));

export function storableResult(result: AttemptResult): AttemptResult {
  return {
    ...result,
    rendered: result.rendered && {
      method: result.rendered.method,
      url: storableText(result.rendered.url),
      body: text(result.rendered.body),
    },
    payloadTemplate: text(result.payloadTemplate),
    urlTemplate: text(result.urlTemplate),
    requestHeaders: storableRecord(result.requestHeaders),
    responseHeaders: result.responseHeaders && storableRecord(result.responseHeaders),
    responseBody: text(result.responseBody),
    error: text(result.error),
  };
}

/** The last resort for an outcome the database still refuses: its status, without what it carried. */
export function bareResult(result: AttemptResult, reason: string): AttemptResult {
  return {
    ...result,
    rendered: null,
    payloadTemplate: null,
    urlTemplate: null,
    requestHeaders: {},
    responseHeaders: null,
    responseBody: null,
    responseBodyTruncated: false,
    error: storableText(
      `${result.error ? `${result.error}; ` : ''}the attempt's details could not be stored (${reason})`,
    ),
  };
}
