import { isJsonObject, LOCALIZED_VALUE_SCHEMA, mapJson, schemaOf } from './schemas';

/**
 * Field-level localization, as the content delivery API applies its `locale` parameter:
 *   fr-FR        exact match (case-insensitive)
 *   *            the first locale that has a value
 *   en-*         the first locale whose language is `en`
 *   fr-BE,en-GB  each pattern in turn, left to right, until one matches
 * A localized field with no match becomes null. Entries whose value is null or missing count as
 * "no content for that locale", so the next pattern is tried.
 */
export function pickLocalizedValue(values: unknown, locale: string): unknown {
  const entries = Array.isArray(values) ? values.filter(isJsonObject) : [];
  const withValue = entries.filter((entry) => typeof entry.locale === 'string' && entry.value != null);
  for (const pattern of parseLocalePatterns(locale)) {
    const match = withValue.find((entry) => matchesLocale(String(entry.locale), pattern));
    if (match) return match.value;
  }
  return null;
}

export function parseLocalePatterns(locale: string): string[] {
  return locale
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern.length > 0);
}

function matchesLocale(candidate: string, pattern: string): boolean {
  if (pattern === '*') return true;
  const wanted = pattern.toLowerCase();
  const actual = candidate.toLowerCase();
  if (wanted.endsWith('-*')) return actual.split('-')[0] === wanted.slice(0, -2);
  return actual === wanted;
}

/** Replaces every localized-value object in a content tree by its value for `locale`. */
export function localizeContent(content: unknown, locale: string): unknown {
  return mapJson(content, (node) =>
    schemaOf(node) === LOCALIZED_VALUE_SCHEMA && isJsonObject(node) ? pickLocalizedValue(node.values, locale) : node,
  );
}
