import { headers } from 'next/headers';
import { requestOrigin } from '../api/links';
import { type OpenApiDocument, openApiDocument } from '../api/openapi';
import { ROUTES } from '../api/routes';
import { env } from '../config/env';

/**
 * The OpenAPI document exactly as GET /v2/openapi.json would serve it to this page's request:
 * its server and token URLs are the address the browser used (the forwarded one behind a trusted proxy).
 */
export async function apiDocumentForPage(): Promise<OpenApiDocument> {
  return openApiDocument(
    ROUTES,
    requestOrigin({ headers: Object.fromEntries(await headers()) }, env().HERALD_TRUST_PROXY),
  );
}
