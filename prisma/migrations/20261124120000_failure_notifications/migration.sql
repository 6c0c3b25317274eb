-- Failure notifications by email: a durable outbox in two tables.
--
-- `failure_notices`: one row per reason to tell a webhook's notification address, written in the
-- same transaction (or statement) as the outcome that causes it: a delivery that ended FAILED
-- (unique per delivery and attempt chain, so an outcome written twice is noticed once), or the
-- webhook turned off. `delivery_id` has no foreign key on purpose: the notice outlives the
-- activity log's retention and keeps what the email needs (event, status, error).
--
-- `notification_emails`: one email, claimed by a worker's sender with a lease; the notices it
-- summarises point to it. At most one email per webhook waits to be sent at a time (partial
-- unique index), and the next one is put together only once the interval since the last has passed.
CREATE TYPE "failure_notice_kind" AS ENUM ('DELIVERY_FAILED', 'WEBHOOK_DISABLED');
CREATE TYPE "notification_email_status" AS ENUM ('PENDING', 'SENT', 'FAILED');

CREATE TABLE "notification_emails" (
    "id" UUID NOT NULL,
    "webhook_id" VARCHAR(24) NOT NULL,
    "recipient" VARCHAR(320) NOT NULL,
    "status" "notification_email_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "lease_owner" VARCHAR(64),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_emails_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "failure_notices" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "webhook_id" VARCHAR(24) NOT NULL,
    "kind" "failure_notice_kind" NOT NULL,
    "delivery_id" UUID,
    "chain" INTEGER,
    "event_name" VARCHAR(128),
    "status_code" INTEGER,
    "error" TEXT,
    "email_id" UUID,
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "failure_notices_pkey" PRIMARY KEY ("id")
);

-- The email waiting to go out, one per webhook; its rate limit looks up the last one finished.
CREATE UNIQUE INDEX "notification_emails_pending_key" ON "notification_emails"("webhook_id") WHERE "status" = 'PENDING';
CREATE INDEX "notification_emails_webhook_id_finished_at_idx" ON "notification_emails"("webhook_id", "finished_at");
CREATE INDEX "notification_emails_due_idx" ON "notification_emails"("next_attempt_at") WHERE "status" = 'PENDING';

CREATE UNIQUE INDEX "failure_notices_delivery_id_chain_key" ON "failure_notices"("delivery_id", "chain");
CREATE INDEX "failure_notices_webhook_id_email_id_idx" ON "failure_notices"("webhook_id", "email_id");
-- Notices not yet in an email: what the sender gathers.
CREATE INDEX "failure_notices_unsent_idx" ON "failure_notices"("created_date") WHERE "email_id" IS NULL;
CREATE INDEX "failure_notices_email_id_idx" ON "failure_notices"("email_id");

ALTER TABLE "notification_emails" ADD CONSTRAINT "notification_emails_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "failure_notices" ADD CONSTRAINT "failure_notices_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "failure_notices" ADD CONSTRAINT "failure_notices_email_id_fkey" FOREIGN KEY ("email_id") REFERENCES "notification_emails"("id") ON DELETE CASCADE ON UPDATE CASCADE;
