-- Whether an API client may call the API is cached by each web server (lib/auth/active-clients.ts).
-- A change to a client's standing (revoked, restored, created, deleted) NOTIFYs the servers with
-- the client's id at commit, whoever made it: the CLI, the admin UI, plain SQL.
CREATE FUNCTION "herald_notify_api_client"() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('herald_api_clients', OLD."id");
  ELSE
    PERFORM pg_notify('herald_api_clients', NEW."id");
    IF TG_OP = 'UPDATE' AND OLD."id" IS DISTINCT FROM NEW."id" THEN
      PERFORM pg_notify('herald_api_clients', OLD."id");
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "api_clients_notify_on_write" AFTER INSERT OR DELETE ON "api_clients"
  FOR EACH ROW EXECUTE FUNCTION "herald_notify_api_client"();
-- Not on last_used_at, which every busy client updates once a minute.
CREATE TRIGGER "api_clients_notify_on_update" AFTER UPDATE ON "api_clients"
  FOR EACH ROW
  WHEN (OLD."revoked_at" IS DISTINCT FROM NEW."revoked_at" OR OLD."id" IS DISTINCT FROM NEW."id")
  EXECUTE FUNCTION "herald_notify_api_client"();
