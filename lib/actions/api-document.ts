import { headers } from 'next/headers';
import { requestOrigin } from '../api/links';
import { type OpenApiDocument, openApiDocument } from '../api/openapi';
import { ROUTES } from '../api/routes';
import { env } from '../config/env';

/**
 * The OpenAPI document as GET /v2/openapi.json serves it to whoever asks from where this page was
 * asked: its server and token URLs are HERALD_PUBLIC_URL, else the address the browser used.
 */
export async function apiDocumentForPage(): Promise<OpenApiDocument> {
  const configured = env().HERALD_PUBLIC_URL;
  const origin = configured
    ? configured.replace(/\/+$/, '')
    : requestOrigin({ headers: Object.fromEntries(await headers()) }, env().HERALD_TRUST_PROXY);
  return openApiDocument(ROUTES, origin);
}
