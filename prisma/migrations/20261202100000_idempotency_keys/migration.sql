-- Idempotency-Key on event ingestion (lib/idempotency/): one row per key a client used on a hub,
-- written by the emit statement itself (lib/events/commit-events.ts), so a 202 implies the row and
-- the row implies the events. It holds a SHA-256 of the request body, to tell a retry from another
-- request under the same key, and the answer sent, to send it again. Kept 24 h, pruned hourly by
-- the worker on created_date.
CREATE TABLE "idempotency_keys" (
    "hub_id" VARCHAR(24) NOT NULL,
    "client_id" VARCHAR(64) NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "body_hash" BYTEA NOT NULL,
    -- json, not jsonb: the answer keeps its keys in the order they were sent.
    "answer" JSON NOT NULL,
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("hub_id", "client_id", "key")
);

CREATE INDEX "idempotency_keys_client_id_idx" ON "idempotency_keys"("client_id");
CREATE INDEX "idempotency_keys_created_date_idx" ON "idempotency_keys"("created_date");

ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "api_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
