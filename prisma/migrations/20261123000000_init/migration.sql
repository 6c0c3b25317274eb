-- CreateEnum
CREATE TYPE "webhook_method" AS ENUM ('POST', 'PUT', 'PATCH', 'DELETE');
CREATE TYPE "filter_type" AS ENUM ('equal', 'in');
CREATE TYPE "delivery_status" AS ENUM ('QUEUED', 'RETRYING', 'DELIVERED', 'FAILED', 'FILTERED');

-- CreateTable
CREATE TABLE "hubs" (
    "id" VARCHAR(24) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "label" VARCHAR(256) NOT NULL,
    "last_sequence_id" BIGINT NOT NULL DEFAULT 0,
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_modified_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "hubs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "webhooks" (
    "id" VARCHAR(24) NOT NULL,
    "hub_id" VARCHAR(24) NOT NULL,
    "label" VARCHAR(128) NOT NULL,
    "events" TEXT[],
    "handlers" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "notifications" JSONB NOT NULL DEFAULT '[]',
    "method" "webhook_method" NOT NULL DEFAULT 'POST',
    "secret_ciphertext" TEXT NOT NULL,
    "previous_secret_ciphertext" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "custom_payload_type" VARCHAR(64),
    "custom_payload_value" TEXT,
    "disabled_reason" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "failing_since" TIMESTAMPTZ(3),
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_modified_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "webhook_headers" (
    "id" UUID NOT NULL,
    "webhook_id" VARCHAR(24) NOT NULL,
    "position" INTEGER NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    "value" TEXT,
    "value_ciphertext" TEXT,
    "secret" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "webhook_headers_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "webhook_filters" (
    "id" UUID NOT NULL,
    "webhook_id" VARCHAR(24) NOT NULL,
    "position" INTEGER NOT NULL,
    "type" "filter_type" NOT NULL,
    "json_path" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    CONSTRAINT "webhook_filters_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "events" (
    "id" UUID NOT NULL,
    "hub_id" VARCHAR(24) NOT NULL,
    "sequence_id" BIGINT NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "request_id" VARCHAR(128) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "deliveries" (
    "id" UUID NOT NULL,
    "hub_id" VARCHAR(24) NOT NULL,
    "event_id" UUID NOT NULL,
    "webhook_id" VARCHAR(24) NOT NULL,
    "status" "delivery_status" NOT NULL,
    "filter_report" JSONB NOT NULL DEFAULT '[]',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "chain" INTEGER NOT NULL DEFAULT 1,
    "next_attempt_at" TIMESTAMPTZ(3),
    "lease_until" TIMESTAMPTZ(3),
    "lease_owner" VARCHAR(64),
    "request_method" "webhook_method",
    "request_url" TEXT,
    "request_headers" JSONB,
    "request_body" TEXT,
    "payload_template" TEXT,
    "url_template" TEXT,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_modified_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "delivery_attempts" (
    "id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "chain" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "request_headers" JSONB NOT NULL,
    "response_status" INTEGER,
    "response_headers" JSONB,
    "response_body" TEXT,
    "response_body_truncated" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "succeeded" BOOLEAN NOT NULL,
    "next_attempt_at" TIMESTAMPTZ(3),
    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "api_clients" (
    "id" VARCHAR(64) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_clients_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "content_items" (
    "hub_id" VARCHAR(24) NOT NULL,
    "id" VARCHAR(64) NOT NULL,
    "version" INTEGER NOT NULL,
    "label" TEXT,
    "locale" VARCHAR(32),
    "schema" TEXT,
    "body" JSONB NOT NULL,
    "last_modified_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "content_items_pkey" PRIMARY KEY ("hub_id", "id")
);

CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sessions" (
    "id" VARCHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "hubs_name_key" ON "hubs"("name");
CREATE INDEX "webhooks_hub_id_created_date_idx" ON "webhooks"("hub_id", "created_date");
CREATE UNIQUE INDEX "webhook_headers_webhook_id_position_key" ON "webhook_headers"("webhook_id", "position");
CREATE UNIQUE INDEX "webhook_filters_webhook_id_position_key" ON "webhook_filters"("webhook_id", "position");
CREATE UNIQUE INDEX "events_hub_id_sequence_id_key" ON "events"("hub_id", "sequence_id");
CREATE INDEX "events_hub_id_created_date_idx" ON "events"("hub_id", "created_date");
CREATE UNIQUE INDEX "deliveries_event_id_webhook_id_key" ON "deliveries"("event_id", "webhook_id");
CREATE INDEX "deliveries_hub_id_idx" ON "deliveries"("hub_id");
CREATE INDEX "deliveries_webhook_id_created_date_idx" ON "deliveries"("webhook_id", "created_date");
CREATE INDEX "deliveries_status_next_attempt_at_idx" ON "deliveries"("status", "next_attempt_at");
-- The outbox claim only ever scans pending rows; a partial index keeps that scan small
-- however many delivered rows accumulate.
CREATE INDEX "deliveries_pending_idx" ON "deliveries"("next_attempt_at") WHERE "status" IN ('QUEUED', 'RETRYING');
CREATE INDEX "delivery_attempts_delivery_id_started_at_idx" ON "delivery_attempts"("delivery_id", "started_at");
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- AddForeignKey
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_headers" ADD CONSTRAINT "webhook_headers_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_filters" ADD CONSTRAINT "webhook_filters_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "events" ADD CONSTRAINT "events_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "content_items" ADD CONSTRAINT "content_items_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
