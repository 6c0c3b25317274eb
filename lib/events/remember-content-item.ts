import { jsonParam, type Param, type Sql, sql } from '../db/sql';

/** What the emit knows of each of its events here. */
type EmittedPayload = { name: string; payload: Record<string, unknown> };

interface ContentItemRow {
  id: string;
  version: number;
  label: string | null;
  locale: string | null;
  schema: string | null;
  body: unknown;
}

function contentItemOf(eventName: string, payload: Record<string, unknown>): ContentItemRow | null {
  if (!eventName.startsWith('dynamic-content.content-item.')) return null;
  const { id, body } = payload;
  if (typeof id !== 'string' || id.length > 64 || !body || typeof body !== 'object') return null;
  const meta = (body as { _meta?: { schema?: unknown } })._meta;
  return {
    id,
    version: typeof payload.version === 'number' && Number.isInteger(payload.version) ? payload.version : 0,
    label: typeof payload.label === 'string' ? payload.label : null,
    locale: typeof payload.locale === 'string' ? payload.locale.slice(0, 32) : null,
    schema: typeof meta?.schema === 'string' ? meta.schema : null,
    body,
  };
}

/**
 * The content items in a group of events, newest version of each, as the JSON rows
 * rememberContentItems reads; NULL when there are none. They keep the latest version of each
 * content item seen in content-item.* events, so Herald's content delivery API
 * (withDeliveryContentItem) can answer for it.
 */
export function contentItemsParam(): Param<readonly EmittedPayload[]> {
  return jsonParam('jsonb', (events) => {
    // One row per item (the newest of the group): an upsert may not touch a row twice.
    const latest = new Map<string, ContentItemRow>();
    for (const event of events) {
      const item = contentItemOf(event.name, event.payload);
      if (item && (latest.get(item.id)?.version ?? -1) <= item.version) latest.set(item.id, item);
    }
    return latest.size === 0 ? null : [...latest.values()];
  });
}

/**
 * A data-modifying CTE of the emit statement (lib/events/commit-events.ts): upserts the rows of
 * `rows` (a contentItemsParam) for `hubId` once per row of `gate`. Raw SQL like
 * the rest of ingestion, and because the conditional upsert (never replace a newer version) is
 * not expressible in Prisma.
 */
export function rememberContentItems(names: {
  gate: Sql;
  hubId: Param<string>;
  rows: Param<readonly EmittedPayload[]>;
}): Sql {
  return sql`remembered AS (
  INSERT INTO content_items (hub_id, id, version, label, locale, schema, body, last_modified_date)
  SELECT ${names.hubId}, r.id, r.version, r.label, r.locale, r.schema, r.body, now()
    FROM ${names.gate}, jsonb_to_recordset(${names.rows})
      AS r(id text, version int, label text, locale text, schema text, body jsonb)
  ON CONFLICT (hub_id, id) DO UPDATE SET
    version = EXCLUDED.version, label = EXCLUDED.label, locale = EXCLUDED.locale,
    schema = EXCLUDED.schema, body = EXCLUDED.body, last_modified_date = now()
  WHERE content_items.version <= EXCLUDED.version
)`;
}
