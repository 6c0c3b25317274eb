import type { Prisma } from '../db/client';

type Tx = Prisma.TransactionClient;

/**
 * Keeps the latest version of each content item seen in content-item.* events, so Herald's
 * content delivery API (withDeliveryContentItem) can answer for it.
 */
export async function rememberContentItem(tx: Tx, hubId: string, eventName: string, payload: Record<string, unknown>) {
  if (!eventName.startsWith('dynamic-content.content-item.')) return;
  const { id, body } = payload;
  if (typeof id !== 'string' || id.length > 64 || !body || typeof body !== 'object') return;
  const version = typeof payload.version === 'number' && Number.isInteger(payload.version) ? payload.version : 0;
  const meta = (body as { _meta?: { schema?: unknown } })._meta;
  const label = typeof payload.label === 'string' ? payload.label : null;
  const locale = typeof payload.locale === 'string' ? payload.locale.slice(0, 32) : null;
  const schema = typeof meta?.schema === 'string' ? meta.schema : null;
  // Raw SQL: the conditional upsert (never replace a newer version) is not expressible in Prisma.
  await tx.$executeRaw`
    INSERT INTO content_items (hub_id, id, version, label, locale, schema, body, last_modified_date)
    VALUES (${hubId}, ${id}, ${version}, ${label}, ${locale}, ${schema}, ${JSON.stringify(body)}::jsonb, now())
    ON CONFLICT (hub_id, id) DO UPDATE SET
      version = EXCLUDED.version, label = EXCLUDED.label, locale = EXCLUDED.locale,
      schema = EXCLUDED.schema, body = EXCLUDED.body, last_modified_date = now()
    WHERE content_items.version <= EXCLUDED.version`;
}
