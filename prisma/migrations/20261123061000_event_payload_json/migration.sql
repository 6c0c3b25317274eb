-- An event's payload is stored as the text it arrived as (json, not jsonb): deliveries send it
-- byte for byte, with its own key order, and the worker passes it on without parsing it.
ALTER TABLE "events" ALTER COLUMN "payload" TYPE JSON USING "payload"::json;
