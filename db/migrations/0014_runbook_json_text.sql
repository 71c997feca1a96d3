-- A revision's structure and document become JSON text. The parse worker writes them with
-- JSON.stringify and they are only ever read whole, so the server checking the JSON again on every
-- write (a `json` column) was pure cost: about 40 of a 1 MB runbook's 65 ms insert on PostgreSQL.
ALTER TABLE "runbook_revisions" ALTER COLUMN "parsed" SET DATA TYPE text USING "parsed"::text;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ALTER COLUMN "document" SET DATA TYPE text USING "document"::text;--> statement-breakpoint
-- The new type drops the columns' compression setting: lz4 again where the server has it (see 0012).
DO $$
BEGIN
  ALTER TABLE "runbook_revisions"
    ALTER COLUMN "parsed" SET COMPRESSION lz4,
    ALTER COLUMN "document" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
  NULL;
END
$$;
