-- An idempotency key is written inside the emit, under the hub's lock, once per keyed request. Its two
-- foreign keys cost a check each per key there, and the one to api_clients locked the client's row
-- (FOR KEY SHARE) in every emit: a client emitting to several hubs at once made those emits share a
-- lock on one row. Herald deletes neither hubs nor API clients (a client is revoked, its row kept),
-- and a key lives 24 hours; a row whose hub or client were removed by hand is pruned with the rest.
-- Without the foreign key to api_clients, the index kept for it goes too: the primary key serves the
-- lookup.
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_hub_id_fkey";
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_client_id_fkey";
DROP INDEX "idempotency_keys_client_id_hub_id_key_idx";
