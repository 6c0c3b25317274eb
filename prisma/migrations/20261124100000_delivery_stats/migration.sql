-- Per-minute counts of what happened to each webhook's deliveries, kept up to date by the same
-- statements that record outcomes (and, for filtered ones, ingestion), so charts read a few
-- thousand rows instead of scanning the activity log. `latency_buckets` counts deliveries that
-- reached 2xx by emit-to-2xx time, in the buckets of lib/activity-log/delivery-stats.ts.
CREATE TABLE "delivery_stats" (
    "webhook_id" VARCHAR(24) NOT NULL,
    "hub_id" VARCHAR(24) NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "retrying" INTEGER NOT NULL DEFAULT 0,
    "filtered" INTEGER NOT NULL DEFAULT 0,
    "latency_buckets" INTEGER[] DEFAULT '{}',

    CONSTRAINT "delivery_stats_pkey" PRIMARY KEY ("webhook_id", "minute")
);

CREATE INDEX "delivery_stats_hub_id_minute_idx" ON "delivery_stats"("hub_id", "minute");

ALTER TABLE "delivery_stats" ADD CONSTRAINT "delivery_stats_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "delivery_stats" ADD CONSTRAINT "delivery_stats_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Adds two count arrays element by element (the shorter one padded with zeros).
CREATE FUNCTION "herald_add_counts"(a INTEGER[], b INTEGER[]) RETURNS INTEGER[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT COALESCE(array_agg(COALESCE(x, 0) + COALESCE(y, 0) ORDER BY n), '{}')
          FROM unnest(a, b) WITH ORDINALITY AS t(x, y, n) $$;

-- Sums count arrays over rows (the latency histogram of an hour or a day).
CREATE AGGREGATE "herald_sum_counts"(INTEGER[]) (SFUNC = "herald_add_counts", STYPE = INTEGER[], INITCOND = '{}');
