/** Schemas of the Amplience content model that the content delivery API treats specially. */
const CORE = 'http://bigcontent.io/cms/schema/v1/core#/definitions';

export const CONTENT_LINK_SCHEMA = `${CORE}/content-link`;
export const LOCALIZED_VALUE_SCHEMA = `${CORE}/localized-value`;
export const MEDIA_LINK_SCHEMAS: ReadonlySet<string> = new Set([`${CORE}/image-link`, `${CORE}/video-link`]);

/** Amplience's production media host, which withDeliveryContentItem uses unless told otherwise. */
export const DEFAULT_MEDIA_HOST = 'cdn.media.amplience.net';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `_meta.schema` of an object in a content body, if it has one. */
export function schemaOf(value: unknown): string | undefined {
  if (!isJsonObject(value) || !isJsonObject(value._meta)) return undefined;
  const schema = value._meta.schema;
  return typeof schema === 'string' ? schema : undefined;
}

/** Rebuilds a JSON tree bottom-up, letting `replace` swap any object or array for something else. */
export function mapJson(value: unknown, replace: (node: unknown) => unknown): unknown {
  const mapped = Array.isArray(value)
    ? value.map((item) => mapJson(item, replace))
    : isJsonObject(value)
      ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapJson(item, replace)]))
      : value;
  return replace(mapped);
}
