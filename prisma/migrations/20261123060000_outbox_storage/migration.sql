-- The deliveries table is a queue: every delivery is inserted, claimed and completed, so it
-- churns far more than its size suggests. Vacuum it after 2 % of its rows changed rather than
-- the default 20 %, so dead entries in the pending index never pile up in front of the claim;
-- leave room on each page so a claim (which changes no indexed column) stays a heap-only update.
ALTER TABLE "deliveries" SET (
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02
);
