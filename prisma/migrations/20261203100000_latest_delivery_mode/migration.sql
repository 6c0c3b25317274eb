-- Content-aware delivery (README "Latest version only, and debounce"). A webhook in `latest` mode
-- delivers only the newest version of each content item: a newer event for the same key makes the
-- webhook's older deliveries of that key that are still waiting SUPERSEDED (never sent), and a
-- debounce holds a key's delivery until the key has been quiet that long.
ALTER TYPE "delivery_status" ADD VALUE IF NOT EXISTS 'SUPERSEDED';

ALTER TABLE "webhooks" ADD COLUMN "delivery_mode" VARCHAR(16) NOT NULL DEFAULT 'every';
ALTER TABLE "webhooks" ADD COLUMN "debounce_seconds" INTEGER NOT NULL DEFAULT 0;
-- The JSONPath of the key; NULL: the default path of each event (lib/event-keys/event-key.ts).
ALTER TABLE "webhooks" ADD COLUMN "delivery_key_path" VARCHAR(512);
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_delivery_mode_check" CHECK ("delivery_mode" IN ('every', 'latest'));
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_debounce_seconds_check" CHECK ("debounce_seconds" BETWEEN 0 AND 3600);

-- Set only on the deliveries of latest-mode webhooks (the event's key), so `every` mode pays nothing.
ALTER TABLE "deliveries" ADD COLUMN "delivery_key" VARCHAR(256);
-- The newer delivery of the same key that made this one SUPERSEDED.
ALTER TABLE "deliveries" ADD COLUMN "superseded_by" UUID;
-- The older delivery of the same key that was being sent when this one superseded it: this one is
-- not claimed while that one's lease runs, so two versions never race to the receiver.
ALTER TABLE "deliveries" ADD COLUMN "waits_for" UUID;
-- Since when the key has had a delivery waiting (carried from the deliveries it supersedes): a
-- debounce waits at most 10 × its length from here, so a key that never goes quiet still delivers.
ALTER TABLE "deliveries" ADD COLUMN "pending_since" TIMESTAMPTZ(3);

-- The emit finds the waiting delivery of a (webhook, key): a partial index of pending keyed rows,
-- tiny, on columns neither the claim nor the outcome changes (claims stay heap-only updates).
CREATE INDEX "deliveries_key_pending_idx" ON "deliveries"("webhook_id", "delivery_key")
  WHERE "delivery_key" IS NOT NULL AND "status" IN ('QUEUED', 'RETRYING');
-- Redeliver and recover ask whether a newer version of a key exists, whatever its status.
CREATE INDEX "deliveries_webhook_key_idx" ON "deliveries"("webhook_id", "delivery_key")
  WHERE "delivery_key" IS NOT NULL;
