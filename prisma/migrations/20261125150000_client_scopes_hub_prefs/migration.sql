-- Least-privilege API clients: each client holds the scopes it was created with. Clients made
-- before scopes existed could do everything, and keep that (the SDK's clients go on working);
-- from now on every client is created with scopes chosen on purpose, so the column keeps no default.
-- A nullable array as Prisma maps scalar lists, with a check that keeps NULL out.
ALTER TABLE "api_clients" ADD COLUMN "scopes" TEXT[]
  DEFAULT ARRAY['events:write', 'webhooks:read', 'webhooks:write', 'content:read'];
ALTER TABLE "api_clients" ALTER COLUMN "scopes" DROP DEFAULT;
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_scopes_present" CHECK ("scopes" IS NOT NULL);

-- A client may be limited to some hubs. The flag, not an empty list, says "every hub": a client
-- limited to hubs that are later deleted must not end up with all of them.
ALTER TABLE "api_clients" ADD COLUMN "all_hubs" BOOLEAN NOT NULL DEFAULT true;

CREATE TABLE "api_client_hubs" (
    "client_id" VARCHAR(64) NOT NULL,
    "hub_id" VARCHAR(24) NOT NULL,
    CONSTRAINT "api_client_hubs_pkey" PRIMARY KEY ("client_id", "hub_id")
);

CREATE INDEX "api_client_hubs_hub_id_idx" ON "api_client_hubs"("hub_id");

ALTER TABLE "api_client_hubs" ADD CONSTRAINT "api_client_hubs_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "api_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "api_client_hubs" ADD CONSTRAINT "api_client_hubs_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hubs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The hub each user last worked in: where the admin's hub-less addresses (/webhooks, /events …) lead.
ALTER TABLE "users" ADD COLUMN "current_hub_id" VARCHAR(24);

CREATE INDEX "users_current_hub_id_idx" ON "users"("current_hub_id");

ALTER TABLE "users" ADD CONSTRAINT "users_current_hub_id_fkey" FOREIGN KEY ("current_hub_id") REFERENCES "hubs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
