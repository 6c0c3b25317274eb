-- The index behind the api_clients foreign key named only client_id. While the table was small the
-- planner found it as cheap as the primary key for the Idempotency-Key lookup, and a prepared
-- statement kept that generic plan: every lookup then read all of the client's keys of the last
-- 24 hours. With the key's three columns in it, any index the planner picks is one probe.
DROP INDEX "idempotency_keys_client_id_idx";
CREATE INDEX "idempotency_keys_client_id_hub_id_key_idx" ON "idempotency_keys"("client_id", "hub_id", "key");
