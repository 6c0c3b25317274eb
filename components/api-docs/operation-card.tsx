import type { JsonSchema, OperationView, ResponseView } from '@/lib/api/openapi-view';
import { InlineText } from './inline-text';
import { SchemaView, typeLabel } from './schema-view';

type Schemas = Readonly<Record<string, JsonSchema>>;

const METHOD_TONES: Record<string, string> = {
  GET: 'bg-sky-50 text-sky-800 ring-sky-200',
  POST: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  PATCH: 'bg-amber-50 text-amber-900 ring-amber-200',
  PUT: 'bg-amber-50 text-amber-900 ring-amber-200',
  DELETE: 'bg-red-50 text-red-800 ring-red-200',
};

export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      className={`inline-flex w-16 shrink-0 justify-center rounded px-1.5 py-0.5 font-mono text-xs font-semibold ring-1 ring-inset ${METHOD_TONES[method] ?? 'bg-zinc-100 text-zinc-700 ring-zinc-200'}`}
    >
      {method}
    </span>
  );
}

function Access({ operation }: { operation: OperationView }) {
  if (operation.public) return <span className="text-xs text-zinc-500">No token</span>;
  return (
    <span className="rounded-full bg-indigo-50 px-2 py-0.5 font-mono text-xs text-indigo-800 ring-1 ring-indigo-200 ring-inset">
      {operation.scope ?? 'any token'}
    </span>
  );
}

function Heading({ children }: { children: string }) {
  return <h4 className="mt-4 mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">{children}</h4>;
}

function Parameters({ operation, schemas }: { operation: OperationView; schemas: Schemas }) {
  if (operation.parameters.length === 0) return null;
  return (
    <>
      <Heading>Parameters</Heading>
      <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
        {operation.parameters.map((parameter) => (
          <li key={`${parameter.in}-${parameter.name}`} className="px-3 py-2">
            <div className="flex flex-wrap items-baseline gap-x-2">
              <code className="font-mono text-sm font-semibold text-zinc-900">{parameter.name}</code>
              <span className="text-xs text-zinc-500">{parameter.in}</span>
              <span className="font-mono text-xs text-zinc-500">{typeLabel(parameter.schema, schemas)}</span>
              {parameter.required ? <span className="text-xs font-medium text-red-700">required</span> : null}
              {'default' in parameter.schema ? (
                <span className="text-xs text-zinc-500">default {JSON.stringify(parameter.schema.default)}</span>
              ) : null}
            </div>
            {parameter.description ? (
              <p className="mt-0.5 text-sm text-zinc-600">
                <InlineText text={parameter.description} />
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

const statusTone = (status: string) =>
  status.startsWith('2') ? 'text-emerald-700' : status.startsWith('4') ? 'text-amber-800' : 'text-red-700';

function Response({ response, schemas }: { response: ResponseView; schemas: Schemas }) {
  const success = response.status.startsWith('2');
  return (
    <li>
      <details open={success} className="px-3 py-2">
        <summary className="cursor-pointer select-none">
          <span className={`font-mono text-sm font-semibold ${statusTone(response.status)}`}>{response.status}</span>{' '}
          <span className="text-sm text-zinc-700">
            <InlineText text={response.description} />
          </span>
        </summary>
        {response.body ? (
          <div className="mt-2 space-y-1">
            <p className="font-mono text-xs text-zinc-500">{response.body.contentType}</p>
            <SchemaView schema={response.body.schema} schemas={schemas} />
          </div>
        ) : (
          <p className="mt-1 text-sm text-zinc-500">No body.</p>
        )}
      </details>
    </li>
  );
}

/** One operation: method, path and summary on one line; opened, what it takes and answers. */
export function OperationCard({ operation, schemas }: { operation: OperationView; schemas: Schemas }) {
  return (
    <details id={operation.id} className="rounded-lg border border-zinc-200 bg-white shadow-sm" data-testid="operation">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2.5 select-none sm:px-4">
        <MethodBadge method={operation.method} />
        <code className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-900">{operation.path}</code>
        <span className="flex w-full flex-wrap items-center gap-2 sm:w-auto">
          <span className="text-sm text-zinc-600">{operation.summary}</span>
          <Access operation={operation} />
        </span>
      </summary>
      <div className="border-t border-zinc-100 px-3 pt-1 pb-4 sm:px-4">
        {operation.description ? (
          <p className="mt-2 text-sm text-zinc-700">
            <InlineText text={operation.description} />
          </p>
        ) : null}
        <p className="mt-2 text-sm text-zinc-600">
          {operation.public ? (
            'Answered without a token.'
          ) : (
            <>
              Bearer token{operation.scope ? ' with the scope ' : ', any scope'}
              {operation.scope ? <code className="font-mono">{operation.scope}</code> : null}.
            </>
          )}{' '}
          <span className="text-zinc-400">operationId</span> <code className="font-mono text-xs">{operation.id}</code>
        </p>
        <Parameters operation={operation} schemas={schemas} />
        {operation.requestBody ? (
          <>
            <Heading>Request body</Heading>
            <p className="mb-1 font-mono text-xs text-zinc-500">{operation.requestBody.contentTypes.join(', ')}</p>
            <SchemaView schema={operation.requestBody.schema} schemas={schemas} />
          </>
        ) : null}
        <Heading>Responses</Heading>
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
          {operation.responses.map((response) => (
            <Response key={response.status} response={response} schemas={schemas} />
          ))}
        </ul>
      </div>
    </details>
  );
}
