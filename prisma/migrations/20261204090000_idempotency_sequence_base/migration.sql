-- The emit stores a key's answer as Herald built it, its sequenceIds counted from the hub's counter
-- before the commit, and that counter here: building the answer in SQL (json_agg per key, under the
-- hub's lock) cost more than the rest of the key's insert. NULL: a key stored before, whose answer
-- holds its sequenceIds as they were sent.
ALTER TABLE "idempotency_keys" ADD COLUMN "sequence_base" BIGINT;
