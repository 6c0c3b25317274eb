-- The claim skips webhooks that already have their share of deliveries in flight; this keeps
-- finding the leased deliveries cheap (they are few, and the index holds only them).
CREATE INDEX "deliveries_leased_webhook_id_idx" ON "deliveries"("webhook_id") WHERE "lease_until" IS NOT NULL;
