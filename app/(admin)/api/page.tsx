import type { Metadata } from 'next';
import { ApiReference } from '@/components/api-docs/api-reference';
import { CopyButton } from '@/components/ui/copy-button';
import { PageHeader } from '@/components/ui/page-header';
import { apiDocumentForPage } from '@/lib/actions/api-document';
import { requireUser } from '@/lib/actions/session';
import { OPENAPI_PATH } from '@/lib/api/openapi';
import { operationsByTag, schemaNamed } from '@/lib/api/openapi-view';

export const metadata: Metadata = { title: 'API' };
export const dynamic = 'force-dynamic';

/** Every role: the API reference, rendered from the same OpenAPI document /v2/openapi.json serves. */
export default async function ApiPage() {
  await requireUser();
  const document = await apiDocumentForPage();
  const tags = operationsByTag(document);
  const names = Object.keys((document.components as { schemas?: object } | undefined)?.schemas ?? {});
  const schemas = Object.fromEntries(names.map((name) => [name, schemaNamed(document, name)]));
  const servers = document.servers as { url: string }[] | undefined;
  const url = `${servers?.[0]?.url ?? ''}${OPENAPI_PATH}`;
  return (
    <>
      <PageHeader
        title="API"
        description={
          <>
            Herald’s HTTP API, from its OpenAPI 3.1 document. Tokens come from{' '}
            <code className="font-mono">POST /oauth/token</code> with an API client’s credentials (API clients page);
            each operation names the scope it needs.
          </>
        }
        actions={
          <>
            <a
              href={OPENAPI_PATH}
              className="inline-flex items-center rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 shadow-sm hover:bg-zinc-50"
            >
              OpenAPI JSON
            </a>
            <CopyButton value={url} label="Copy the OpenAPI URL" />
          </>
        }
      />
      <p className="mb-6 text-sm break-all text-zinc-600">
        Generate a client from <code className="font-mono text-zinc-800">{url}</code>, e.g.{' '}
        <code className="font-mono text-zinc-800">
          npx @openapitools/openapi-generator-cli generate -i {url} -g typescript-fetch -o herald-client
        </code>
      </p>
      <ApiReference tags={tags} schemas={schemas} />
    </>
  );
}
