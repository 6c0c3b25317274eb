import { DEFAULT_MEDIA_HOST, isJsonObject, MEDIA_LINK_SCHEMAS, mapJson, schemaOf } from './schemas';

/**
 * withDeliveryContentItem returns media links on Amplience's production media host, never a
 * virtual staging one, unless the template names its own `mediaHost` (a staging or custom domain).
 */
export function withMediaHost(content: unknown, mediaHost?: string): unknown {
  const host = mediaHost && mediaHost.length > 0 ? mediaHost : DEFAULT_MEDIA_HOST;
  return mapJson(content, (node) => {
    const schema = schemaOf(node);
    return schema && MEDIA_LINK_SCHEMAS.has(schema) && isJsonObject(node) ? { ...node, defaultHost: host } : node;
  });
}
