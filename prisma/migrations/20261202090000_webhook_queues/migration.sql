-- Fair claiming. The outbox used to hand out due deliveries oldest first across the installation,
-- so one webhook's backlog (100,000 due retries, or a burst to an endpoint that hangs) stood in front
-- of every other webhook's fresh deliveries. Workers now claim webhook by webhook, round robin: each
-- webhook with work has a row here, and a claim serves the due webhooks least recently served first,
-- taking from each only what that webhook may have in flight.
--
-- due_at is a hint, never later than the truth: the earliest time the webhook may have a delivery to
-- send (NULL: nothing pending). Whoever makes a delivery due arms its webhook after committing
-- (armed_at), and a claim that finds a webhook drained sets due_at from what is left, unless the
-- webhook was armed since the claim's statement began (its snapshot might not show that delivery).
CREATE TABLE "webhook_queues" (
  "webhook_id" VARCHAR(24) NOT NULL,
  "due_at" TIMESTAMPTZ(6),
  "served_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
  "armed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
  CONSTRAINT "webhook_queues_pkey" PRIMARY KEY ("webhook_id")
) WITH (fillfactor = 50);

ALTER TABLE "webhook_queues" ADD CONSTRAINT "webhook_queues_webhook_id_fkey"
  FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE INDEX "webhook_queues_due_at_idx" ON "webhook_queues"("due_at");

-- A claim reads one webhook's due deliveries at a time: the pending index leads with the webhook.
DROP INDEX "deliveries_pending_idx";
DROP INDEX IF EXISTS "deliveries_legacy_pending_idx";
CREATE INDEX "deliveries_pending_idx" ON "deliveries"("webhook_id", "next_attempt_at") WHERE "status" IN ('QUEUED', 'RETRYING');

INSERT INTO "webhook_queues" ("webhook_id", "due_at")
SELECT "webhook_id", min("next_attempt_at") FROM "deliveries"
 WHERE "status" IN ('QUEUED', 'RETRYING')
 GROUP BY "webhook_id";
