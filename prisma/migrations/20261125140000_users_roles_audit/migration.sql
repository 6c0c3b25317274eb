-- Users get a role and a display name. Whoever set Herald up (the only user so far) becomes Owner;
-- from now on every user is created with an explicit role, so the column keeps no default.
CREATE TYPE "user_role" AS ENUM ('Owner', 'Admin', 'Editor', 'Viewer');

ALTER TABLE "users" ADD COLUMN "role" "user_role" NOT NULL DEFAULT 'Owner';
ALTER TABLE "users" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "users" ADD COLUMN "name" VARCHAR(128);

-- One-time invitation links: only the token's SHA-256 is kept. Accepting one sets accepted_at.
CREATE TABLE "invites" (
    "id" UUID NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "role" "user_role" NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "invited_by_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invites_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "invites_token_hash_key" ON "invites"("token_hash");
CREATE INDEX "invites_invited_by_id_idx" ON "invites"("invited_by_id");
CREATE INDEX "invites_email_idx" ON "invites"("email");

ALTER TABLE "invites" ADD CONSTRAINT "invites_invited_by_id_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The audit trail. Actor and target are copied in (id and label), with no foreign keys on purpose:
-- the record of removing a user or deleting a webhook must outlive the user or the webhook.
-- Ids are uuid7, so ordering by id is ordering by time (the cursor of every listing).
CREATE TABLE "audit_entries" (
    "id" UUID NOT NULL,
    "hub_id" VARCHAR(24),
    "actor_type" VARCHAR(16) NOT NULL,
    "actor_id" VARCHAR(64),
    "actor_label" VARCHAR(320) NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "target_type" VARCHAR(32),
    "target_id" VARCHAR(64),
    "target_label" VARCHAR(256),
    "changes" JSONB,
    "source_ip" VARCHAR(64),
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "audit_entries_hub_id_id_idx" ON "audit_entries"("hub_id", "id");
CREATE INDEX "audit_entries_actor_id_id_idx" ON "audit_entries"("actor_id", "id");
CREATE INDEX "audit_entries_target_id_id_idx" ON "audit_entries"("target_id", "id");
CREATE INDEX "audit_entries_action_id_idx" ON "audit_entries"("action", "id");
CREATE INDEX "audit_entries_created_date_idx" ON "audit_entries"("created_date");
