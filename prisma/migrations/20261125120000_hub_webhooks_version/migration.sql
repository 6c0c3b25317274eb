-- A hub's webhooks (which are active, what they subscribe to, their filters) are planned from
-- a cache; `webhooks_version` counts every change to them. The emit statement only commits
-- when the version it planned with is still the hub's (lib/events/commit-events.ts), so a
-- webhook created, changed or deleted a moment ago is never missed, whichever process or
-- statement changed it (API, admin UI, a worker turning a webhook off).
-- The triggers run BEFORE the row changes, so a writer takes the hub row's lock before the
-- webhook row's: an emit holds the hub row and then checks its deliveries' webhook keys, and
-- the opposite order could deadlock with a webhook being deleted.
ALTER TABLE "hubs" ADD COLUMN "webhooks_version" BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION "herald_bump_webhooks_version"() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  changed RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
  IF TG_TABLE_NAME = 'webhooks' THEN
    UPDATE "hubs" SET "webhooks_version" = "webhooks_version" + 1 WHERE "id" = changed."hub_id";
    IF TG_OP = 'UPDATE' AND OLD."hub_id" IS DISTINCT FROM NEW."hub_id" THEN
      UPDATE "hubs" SET "webhooks_version" = "webhooks_version" + 1 WHERE "id" = OLD."hub_id";
    END IF;
  ELSE
    UPDATE "hubs" SET "webhooks_version" = "webhooks_version" + 1
     WHERE "id" = (SELECT "hub_id" FROM "webhooks" WHERE "id" = changed."webhook_id");
  END IF;
  RETURN changed;
END $$;

CREATE TRIGGER "webhooks_version_on_write" BEFORE INSERT OR DELETE ON "webhooks"
  FOR EACH ROW EXECUTE FUNCTION "herald_bump_webhooks_version"();
-- Only what decides where an event goes: not secrets, templates, health or labels.
CREATE TRIGGER "webhooks_version_on_update" BEFORE UPDATE ON "webhooks"
  FOR EACH ROW
  WHEN (OLD."active" IS DISTINCT FROM NEW."active" OR OLD."events" IS DISTINCT FROM NEW."events"
        OR OLD."hub_id" IS DISTINCT FROM NEW."hub_id")
  EXECUTE FUNCTION "herald_bump_webhooks_version"();
CREATE TRIGGER "webhook_filters_version" BEFORE INSERT OR UPDATE OR DELETE ON "webhook_filters"
  FOR EACH ROW EXECUTE FUNCTION "herald_bump_webhooks_version"();
