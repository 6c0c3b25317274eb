/** Limits from the seeds ("Restrictions on the custom payload"), in UTF-8 bytes. */
export const MAX_TEMPLATE_BYTES = 5 * 1024;
export const MAX_OUTPUT_BYTES = 200 * 1024;

/** Fetches for withDeliveryContentItem: per call, and how many distinct calls one render may make. */
export const CONTENT_FETCH_TIMEOUT_MS = 2000;
export const MAX_CONTENT_CALLS = 25;

export type TemplateKind = 'payload' | 'url';

/** How messages name a template's result: "The custom payload rendered to …", "The URL template …". */
export function templateLabel(kind: TemplateKind): string {
  return kind === 'payload' ? 'custom payload' : 'URL template';
}

/** How messages name a template's source: "The custom payload template is 6.2 KB …". */
export function templateSourceLabel(kind: TemplateKind): string {
  return kind === 'payload' ? 'custom payload template' : 'URL template';
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * "312.4 KB; the limit is 200 KB". When one decimal would hide the difference (204,801 bytes
 * against 204,800), both sizes are given in bytes instead.
 */
export function describeSizeOverLimit(bytes: number, limit: number): string {
  const size = formatKb(bytes);
  const max = formatKb(limit);
  if (Number.parseFloat(size) <= Number.parseFloat(max)) {
    return `${bytes.toLocaleString('en')} bytes; the limit is ${limit.toLocaleString('en')} bytes (${max})`;
  }
  return `${size}; the limit is ${max}`;
}

function formatKb(bytes: number): string {
  const kb = bytes / 1024;
  return Number.isInteger(kb) ? `${kb} KB` : `${kb.toFixed(1)} KB`;
}
