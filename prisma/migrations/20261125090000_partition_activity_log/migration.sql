-- The activity log (events, deliveries, delivery_attempts) in daily partitions, so retention drops
-- whole days instead of deleting rows: at 1,000 deliveries/s and 30 days that is billions of rows,
-- and DELETE at that scale leaves a bloated table behind (worse where autovacuum is off).
--
-- Partition key: RANGE on the uuid7 ids, bounds at UTC day starts (the first 48 bits of a uuid7
-- are its Unix time in ms, so a day is one contiguous id range). Partitioning by created_date would
-- force composite keys (created_date, id) on every table and every lookup; on the ids:
--   * events: by `id`; the primary key stays `id` alone.
--   * deliveries: by `id`, and a delivery's id carries its event's 48-bit time (see
--     lib/outbox/delivery-id.ts; checked by deliveries_event_time_check), so a delivery always
--     lands in its event's day. The primary key stays `id` alone, and every lookup the queue makes
--     by id (claim, outcome, release, redeliver, details) reaches exactly one partition.
--   * delivery_attempts: by `delivery_id` (same bounds), so attempts follow their delivery, hence
--     their event. Primary key (delivery_id, id).
-- The three tables' partitions are ALIGNED: one day = one partition of each, created together
-- (herald_create_log_partitions) and dropped together (lib/activity-log/retention.ts), deliveries
-- and attempts before their events, so nothing outlives its event.
--
-- Foreign keys: kept where they are cheap, to hubs and webhooks (small tables; they carry the
-- cascades when a hub or webhook is deleted). Dropping a partition never validates them.
-- Not kept between the log tables (deliveries -> events, delivery_attempts -> deliveries): a
-- foreign key into a partitioned table makes every DETACH/DROP of a referenced partition check
-- the referencing table, which at this scale means scanning a day of deliveries while holding
-- locks. Alignment makes them unnecessary: a delivery is written in its event's transaction and
-- day, an attempt only for a delivery the same statement updated (lib/outbox/complete.ts); the
-- cascade a webhook's deletion needs for attempts is a statement trigger below. deliveries.hub_id
-- loses its foreign key too: a hub's deletion reaches its deliveries through its webhooks, and the
-- index that key required would cost every insert on the largest table.
-- Uniqueness a partitioned table cannot enforce without the partition key: events (hub_id,
-- sequence_id) is guaranteed by the hub row's counter (lib/events/emit-event.ts), deliveries
-- (event_id, webhook_id) by the primary key, since a delivery id is derived from both.
--
-- Existing rows are not rewritten: each old table becomes its table's first partition, covering
-- everything before tomorrow (UTC), and is dropped by retention as a whole once that day is past
-- the retention period. An empty old table (a new installation) is simply replaced. The day
-- partitions for today and the next two are created here; workers keep creating them ahead.

-- Foreign keys between the log tables, and deliveries -> hubs (reached through webhooks).
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_event_id_fkey";
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_hub_id_fkey";
ALTER TABLE "delivery_attempts" DROP CONSTRAINT "delivery_attempts_delivery_id_fkey";

-- The old tables step aside under names of their own.
ALTER TABLE "events" RENAME TO "events_legacy";
ALTER TABLE "events_legacy" RENAME CONSTRAINT "events_pkey" TO "events_legacy_pkey";
ALTER TABLE "events_legacy" RENAME CONSTRAINT "events_hub_id_fkey" TO "events_legacy_hub_id_fkey";
DROP INDEX "events_hub_id_sequence_id_key";
DROP INDEX "events_hub_id_created_date_idx";

ALTER TABLE "deliveries" RENAME TO "deliveries_legacy";
ALTER TABLE "deliveries_legacy" RENAME CONSTRAINT "deliveries_pkey" TO "deliveries_legacy_pkey";
ALTER TABLE "deliveries_legacy" RENAME CONSTRAINT "deliveries_webhook_id_fkey" TO "deliveries_legacy_webhook_id_fkey";
DROP INDEX "deliveries_event_id_webhook_id_key";
DROP INDEX "deliveries_hub_id_idx";
DROP INDEX "deliveries_webhook_id_created_date_idx";
DROP INDEX "deliveries_status_next_attempt_at_idx";
ALTER INDEX "deliveries_pending_idx" RENAME TO "deliveries_legacy_pending_idx";

ALTER TABLE "delivery_attempts" RENAME TO "delivery_attempts_legacy";
ALTER TABLE "delivery_attempts_legacy" DROP CONSTRAINT "delivery_attempts_pkey";
DROP INDEX "delivery_attempts_delivery_id_started_at_idx";

-- The partitioned tables: the same columns (LIKE keeps names, types, defaults and NOT NULLs).
CREATE TABLE "events" (LIKE "events_legacy" INCLUDING DEFAULTS) PARTITION BY RANGE ("id");
ALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY ("id");
-- Recent events of a hub, newest first; also the index the hub foreign key needs.
CREATE INDEX "events_hub_id_sequence_id_idx" ON "events"("hub_id", "sequence_id");
ALTER TABLE "events" ADD CONSTRAINT "events_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "deliveries" (LIKE "deliveries_legacy" INCLUDING DEFAULTS) PARTITION BY RANGE ("id");
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id");
-- A webhook's activity log, newest first, and its health counts: status and created_date ride
-- along so a page of ids, a status filter and the 24 h counts are index-only scans.
CREATE INDEX "deliveries_webhook_id_id_idx" ON "deliveries"("webhook_id", "id") INCLUDE ("status", "created_date");
-- An event's deliveries (the events page).
CREATE INDEX "deliveries_event_id_idx" ON "deliveries"("event_id");
-- The outbox claim only ever scans pending rows: in a partition whose deliveries are all done
-- this index is empty, so the claim's cost follows the queue, not the number of partitions.
CREATE INDEX "deliveries_pending_idx" ON "deliveries"("next_attempt_at") WHERE "status" IN ('QUEUED', 'RETRYING');
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "delivery_attempts" (LIKE "delivery_attempts_legacy" INCLUDING DEFAULTS) PARTITION BY RANGE ("delivery_id");
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("delivery_id", "id");

-- A delivery deleted with its webhook (or hub) takes its attempts along: the cascade a foreign
-- key would give, without the key. Dropped partitions fire nothing.
CREATE FUNCTION "herald_delete_attempts_of_deleted_deliveries"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "delivery_attempts" a USING "deleted_deliveries" d WHERE a."delivery_id" = d."id";
  RETURN NULL;
END $$;
CREATE TRIGGER "deliveries_delete_attempts" AFTER DELETE ON "deliveries"
  REFERENCING OLD TABLE AS "deleted_deliveries"
  FOR EACH STATEMENT EXECUTE FUNCTION "herald_delete_attempts_of_deleted_deliveries"();

-- The smallest uuid of a UTC day: the day's start in ms as the first 48 bits, zeros after.
CREATE FUNCTION "herald_day_bound"(day DATE) RETURNS UUID
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-0000-0000-000000000000')::uuid
          FROM lpad(to_hex((day - DATE '1970-01-01')::bigint * 86400000), 12, '0') AS h $$;

-- Every partition of the three log tables with its bounds (lower NULL: unbounded below).
CREATE VIEW "herald_log_partitions" AS
SELECT parent.relname::text AS "parent",
       child.relname::text AS "partition",
       substring(bound FROM $re$FROM \('([0-9a-f-]{36})'\)$re$)::uuid AS "lower",
       substring(bound FROM $re$TO \('([0-9a-f-]{36})'\)$re$)::uuid AS "upper"
  FROM pg_inherits i
  JOIN pg_class parent ON parent.oid = i.inhparent
  JOIN pg_class child ON child.oid = i.inhrelid
 CROSS JOIN LATERAL pg_get_expr(child.relpartbound, child.oid) AS bound
 WHERE i.inhparent IN ('events'::regclass, 'deliveries'::regclass, 'delivery_attempts'::regclass);

-- Creates a UTC day's partition of each log table, unless one already covers that day, and returns
-- the names of those it created. Each is created apart and then attached: ATTACH takes a lighter
-- lock on the parent than CREATE TABLE ... PARTITION OF, so emits and claims go on meanwhile.
CREATE FUNCTION "herald_create_log_partitions"(day DATE) RETURNS SETOF TEXT
  LANGUAGE plpgsql AS $$
DECLARE
  lo UUID := herald_day_bound(day);
  hi UUID := herald_day_bound(day + 1);
  spec RECORD;
  name TEXT;
BEGIN
  FOR spec IN SELECT * FROM (VALUES
      ('events', ''),
      -- The queue's storage settings (see 20261123060000_outbox_storage), now per partition.
      ('deliveries', 'WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)'),
      ('delivery_attempts', '')) AS s(parent, storage)
  LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM herald_log_partitions p
                           WHERE p.parent = spec.parent AND (p.lower IS NULL OR p.lower <= lo) AND p.upper > lo);
    name := spec.parent || '_p' || to_char(day, 'YYYYMMDD');
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS) %s', name, spec.parent, spec.storage);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', spec.parent, name, lo, hi);
    RETURN NEXT name;
  END LOOP;
END $$;

DO $$
DECLARE
  today DATE := (now() AT TIME ZONE 'UTC')::date;
  cutoff UUID := herald_day_bound(today + 1);
  newest UUID;
BEGIN
  IF EXISTS (SELECT 1 FROM "events_legacy") OR EXISTS (SELECT 1 FROM "deliveries_legacy")
     OR EXISTS (SELECT 1 FROM "delivery_attempts_legacy") THEN
    -- (No max(uuid) before PostgreSQL 16.)
    SELECT id INTO newest FROM (
      (SELECT "id" AS id FROM "events_legacy" ORDER BY 1 DESC LIMIT 1)
      UNION ALL (SELECT "id" FROM "deliveries_legacy" ORDER BY 1 DESC LIMIT 1)
      UNION ALL (SELECT "delivery_id" FROM "delivery_attempts_legacy" ORDER BY 1 DESC LIMIT 1)) ids
     ORDER BY 1 DESC LIMIT 1;
    IF newest >= cutoff THEN
      RAISE EXCEPTION 'activity log id % lies after %: ids are not time-ordered (uuid7), cannot partition by them', newest, cutoff;
    END IF;
    EXECUTE format('ALTER TABLE "events" ATTACH PARTITION "events_legacy" FOR VALUES FROM (MINVALUE) TO (%L)', cutoff);
    EXECUTE format('ALTER TABLE "deliveries" ATTACH PARTITION "deliveries_legacy" FOR VALUES FROM (MINVALUE) TO (%L)', cutoff);
    EXECUTE format('ALTER TABLE "delivery_attempts" ATTACH PARTITION "delivery_attempts_legacy" FOR VALUES FROM (MINVALUE) TO (%L)', cutoff);
    -- Older deliveries have ids of their own time, a few ms after their event's.
    ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_time_check"
      CHECK (left("id"::text, 13) = left("event_id"::text, 13)) NOT VALID;
  ELSE
    DROP TABLE "events_legacy", "deliveries_legacy", "delivery_attempts_legacy";
    ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_time_check"
      CHECK (left("id"::text, 13) = left("event_id"::text, 13));
  END IF;
  PERFORM herald_create_log_partitions(today + n) FROM generate_series(0, 2) AS n;
END $$;
