-- Content-aware delivery: a `changed` filter (true when a path's value differs from the previous
-- event of the same key) and `previous` / `changes` in templates. An event's key is its content item
-- or edition (lib/event-keys). Nothing is stored twice: events keep their payloads, so each event
-- points at the previous event of its key, and one row per key and hub points at the key's latest.

-- Its one argument is the JSONPath; `value` holds JSON null for it.
ALTER TYPE "filter_type" ADD VALUE 'changed';

-- The previous event of this event's key when it was emitted; NULL for the first (or a keyless)
-- one. No foreign key: events are partitioned and pruned by day, and a pointer into a dropped day
-- simply finds nothing (the template then has no `previous`).
ALTER TABLE "events" ADD COLUMN "previous_event_id" UUID;

-- The latest event of each key of a hub, written by the emit statement under the hub's lock.
-- `displaced_event_id` is the latest event before that statement's write: the upsert returns it
-- (RETURNING shows only the new row on PostgreSQL < 18), so the statement sees the true previous
-- event even when another process committed one after its snapshot was taken. Rows whose event has
-- been pruned are deleted by retention (lib/key-history/prune-key-heads.ts).
CREATE TABLE "event_key_heads" (
    "hub_id" VARCHAR(24) NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "event_id" UUID NOT NULL,
    "displaced_event_id" UUID,

    CONSTRAINT "event_key_heads_pkey" PRIMARY KEY ("hub_id", "key")
);

ALTER TABLE "event_key_heads" ADD CONSTRAINT "event_key_heads_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
