-- The one-time code that claims a fresh instance: `npm start` / `npm run web` print it while no
-- admin exists and keep only its SHA-256 here, so the web process (a child or a separate process)
-- can check it. One row at most; setup deletes it.
CREATE TABLE "setup_codes" (
    "id" INTEGER NOT NULL,
    "code_hash" VARCHAR(64) NOT NULL,
    "created_date" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "setup_codes_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "setup_codes_single_row" CHECK ("id" = 1)
);

-- Sessions end after a configurable idle time as well as after their 14 days.
ALTER TABLE "sessions" ADD COLUMN "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
