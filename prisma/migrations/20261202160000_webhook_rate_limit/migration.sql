-- A rate limit per webhook, in deliveries per second, held across every worker of the installation.
-- The claim counts what it starts in the webhook's queue row, under the row lock every claim of that
-- webhook takes anyway, as a sliding window: the deliveries started in this second of the clock, plus
-- the previous second's weighted by how much of it still lies within the last second. Deliveries over
-- the limit stay in the queue, taking no slot.
ALTER TABLE "webhooks" ADD COLUMN "rate_limit" INTEGER;
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_rate_limit_check" CHECK ("rate_limit" IS NULL OR "rate_limit" BETWEEN 1 AND 10000);

-- Deliveries started in the second of the clock that began at window_at, and in the second before it.
ALTER TABLE "webhook_queues" ADD COLUMN "window_at" TIMESTAMPTZ(6);
ALTER TABLE "webhook_queues" ADD COLUMN "window_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "webhook_queues" ADD COLUMN "previous_count" INTEGER NOT NULL DEFAULT 0;
