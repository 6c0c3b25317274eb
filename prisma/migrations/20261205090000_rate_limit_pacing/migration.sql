-- A rate-limited webhook's starts are paced, one every 1/rate seconds, instead of counted in a sliding
-- one-second window. The window let a full second's worth be claimed at once: claimed at the end of
-- one second and started a moment later, in the next, those joined the next second's own, and the
-- receiver saw up to twice the limit in one second of its clock. Paced starts are 1/rate apart, so a
-- late start moves one delivery, not a second's worth.
--
-- next_start_at is when the webhook's next delivery may start (the time its last claimed one started
-- plus 1/rate); the claim reads and moves it under the queue row's lock, as it did the window.
ALTER TABLE "webhook_queues" ADD COLUMN "next_start_at" TIMESTAMPTZ(6);
ALTER TABLE "webhook_queues" DROP COLUMN "window_at";
ALTER TABLE "webhook_queues" DROP COLUMN "window_count";
ALTER TABLE "webhook_queues" DROP COLUMN "previous_count";
