-- One mechanism for the work that is not a delivery (deliveries stay on their outbox): emails,
-- and the upkeep every worker used to run on its own timers (partitions, prunes, vacuum).
--
-- `jobs`: one row per job waiting, running or given up. Claimed with a lease (`FOR UPDATE SKIP
-- LOCKED`), deleted once done; a failure sets `run_at` later (backoff) or, out of attempts,
-- `failed_at` (kept for the record until pruned). `key` deduplicates: at most one job per key
-- that has not failed for good (an email per address, a periodic job per period).
CREATE TABLE "jobs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" VARCHAR(64) NOT NULL,
    "key" VARCHAR(400),
    "payload" JSONB NOT NULL,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lease_until" TIMESTAMPTZ(3),
    "lease_owner" VARCHAR(64),
    "last_error" TEXT,
    "failed_at" TIMESTAMPTZ(3),
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "jobs_key_key" ON "jobs"("key") WHERE "failed_at" IS NULL;
-- What the claim reads: jobs not given up, by when they are due.
CREATE INDEX "jobs_due_idx" ON "jobs"("run_at") WHERE "failed_at" IS NULL;
CREATE INDEX "jobs_failed_at_idx" ON "jobs"("failed_at") WHERE "failed_at" IS NOT NULL;

-- `job_schedules`: when each periodic job is next due. The worker that moves `next_run_at` on
-- (a conditional UPDATE: one wins) adds that period's job, so it runs once across all workers.
CREATE TABLE "job_schedules" (
    "name" VARCHAR(64) NOT NULL,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "job_schedules_pkey" PRIMARY KEY ("name")
);

-- Emails are sent by jobs now: the email row keeps what was sent (its id is the Message-ID) and
-- how it ended; the lease, attempts and backoff are the job's.
INSERT INTO "jobs" ("kind", "key", "payload")
SELECT 'failures-email', 'failures-email:' || "recipient", jsonb_build_object('recipient', "recipient")
  FROM "notification_emails" WHERE "status" = 'PENDING' AND "kind" = 'FAILURES'
UNION ALL
SELECT 'confirmation-email', 'confirmation-email:' || "recipient", jsonb_build_object('emailId', "id")
  FROM "notification_emails" WHERE "status" = 'PENDING' AND "kind" = 'CONFIRMATION'
ON CONFLICT DO NOTHING;
DROP INDEX "notification_emails_due_idx";
ALTER TABLE "notification_emails" DROP COLUMN "attempts",
                                  DROP COLUMN "next_attempt_at",
                                  DROP COLUMN "lease_until",
                                  DROP COLUMN "lease_owner";
