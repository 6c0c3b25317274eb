import type { JsonSchema, TagView } from '@/lib/api/openapi-view';
import { OperationCard } from './operation-card';

const anchor = (tag: string) => `tag-${tag.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}`;

/** Every operation of the OpenAPI document, by tag, with an index of the tags on top. */
export function ApiReference({ tags, schemas }: { tags: TagView[]; schemas: Readonly<Record<string, JsonSchema>> }) {
  return (
    <div className="space-y-8">
      <nav aria-label="API sections">
        <ul className="flex flex-wrap gap-2">
          {tags.map((tag) => (
            <li key={tag.name}>
              <a
                href={`#${anchor(tag.name)}`}
                className="block rounded-full border border-zinc-200 bg-white px-3 py-1 text-sm text-zinc-700 hover:bg-zinc-50"
              >
                {tag.name} <span className="text-zinc-400">{tag.operations.length}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag.name} id={anchor(tag.name)} aria-labelledby={`${anchor(tag.name)}-heading`}>
          <h2 id={`${anchor(tag.name)}-heading`} className="text-base font-semibold text-zinc-900">
            {tag.name}
          </h2>
          {tag.description ? <p className="mt-0.5 mb-3 text-sm text-zinc-500">{tag.description}</p> : null}
          <div className="space-y-2">
            {tag.operations.map((operation) => (
              <OperationCard key={operation.id} operation={operation} schemas={schemas} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
