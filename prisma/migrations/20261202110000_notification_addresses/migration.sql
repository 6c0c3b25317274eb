-- Notification addresses are confirmed before Herald mails them, and mail to one address is capped
-- across every webhook that names it (lib/notifications/).
--
-- `notification_addresses`: one row per address (lower-cased) a webhook has named. An address is
-- confirmed through a link mailed to it (only the token's SHA-256 is kept, single use) or by being
-- a Herald user's. Until then no failure mail goes to it: Herald never relays mail, on someone
-- else's say-so, to an address that did not ask for it.
--
-- `notification_emails` now goes to an address, not a webhook: a FAILURES email is a digest of
-- every webhook naming its recipient, at most one per recipient and HERALD_NOTIFY_INTERVAL; a
-- CONFIRMATION email carries the link (its token is made when it is sent, so none waits in the
-- table). Both ride the same outbox: claims with a lease, retries, the email's id as Message-ID.
CREATE TABLE "notification_addresses" (
    "email" VARCHAR(320) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "token_hash" VARCHAR(64),
    "token_expires_at" TIMESTAMPTZ(3),
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_addresses_pkey" PRIMARY KEY ("email")
);
CREATE UNIQUE INDEX "notification_addresses_token_hash_key" ON "notification_addresses"("token_hash");

CREATE TYPE "notification_email_kind" AS ENUM ('FAILURES', 'CONFIRMATION');
ALTER TABLE "notification_emails" ADD COLUMN "kind" "notification_email_kind" NOT NULL DEFAULT 'FAILURES';

-- Emails waiting per webhook become one per address: the oldest takes the others' notices.
UPDATE "notification_emails" SET "recipient" = lower("recipient");
UPDATE "failure_notices" n SET "email_id" = ranked.keep
  FROM (SELECT id, first_value(id) OVER (PARTITION BY recipient ORDER BY created_date, id) AS keep
          FROM "notification_emails" WHERE status = 'PENDING') ranked
 WHERE n.email_id = ranked.id AND ranked.id <> ranked.keep;
DELETE FROM "notification_emails" m
 USING (SELECT id, first_value(id) OVER (PARTITION BY recipient ORDER BY created_date, id) AS keep
          FROM "notification_emails" WHERE status = 'PENDING') ranked
 WHERE m.id = ranked.id AND ranked.id <> ranked.keep;

DROP INDEX "notification_emails_pending_key";
DROP INDEX "notification_emails_webhook_id_finished_at_idx";
ALTER TABLE "notification_emails" DROP CONSTRAINT "notification_emails_webhook_id_fkey";
ALTER TABLE "notification_emails" DROP COLUMN "webhook_id";

-- The email waiting to go out, one of each kind per address; the rate limits look up the last one finished.
CREATE UNIQUE INDEX "notification_emails_pending_key" ON "notification_emails"("kind", "recipient") WHERE "status" = 'PENDING';
CREATE INDEX "notification_emails_recipient_finished_at_idx" ON "notification_emails"("recipient", "finished_at");

-- Addresses named before this migration are not confirmed either (unless they are a user's):
-- each gets its confirmation email from the first worker with a mail server.
INSERT INTO "notification_addresses" ("email")
SELECT DISTINCT lower(notifications->0->>'email') FROM "webhooks" WHERE notifications->0->>'email' IS NOT NULL
ON CONFLICT DO NOTHING;
INSERT INTO "notification_emails" ("id", "kind", "recipient")
SELECT gen_random_uuid(), 'CONFIRMATION', a.email FROM "notification_addresses" a
 WHERE NOT EXISTS (SELECT 1 FROM "users" u WHERE lower(u.email) = a.email)
ON CONFLICT DO NOTHING;
