-- What SQL reads of a revision's structure moves to a small jsonb outline (sections, metadata,
-- counts, links, warnings); the structure itself becomes plain json. It is only ever read whole, and
-- jsonb's binary parsing was about a quarter of writing a revision on the embedded database.
ALTER TABLE "runbook_revisions" ADD COLUMN "outline" jsonb;--> statement-breakpoint
UPDATE "runbook_revisions" SET "outline" = jsonb_build_object(
  'sections', coalesce("parsed" -> 'sections', '[]'::jsonb),
  'metadata', coalesce("parsed" -> 'metadata', '{}'::jsonb),
  'links', coalesce("parsed" -> 'links', '[]'::jsonb),
  'warnings', coalesce("parsed" -> 'warnings', '[]'::jsonb),
  'counts', jsonb_build_object(
    'steps', coalesce(jsonb_array_length("parsed" -> 'steps'), 0),
    'placeholders', coalesce(jsonb_array_length("parsed" -> 'placeholders'), 0),
    'checklists', coalesce(jsonb_array_length("parsed" -> 'checklists'), 0),
    'tables', coalesce(jsonb_array_length("parsed" -> 'tables'), 0)));--> statement-breakpoint
ALTER TABLE "runbook_revisions" ALTER COLUMN "outline" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ALTER COLUMN "parsed" SET DATA TYPE json USING "parsed"::text::json;
--> statement-breakpoint
-- The new type drops the column's compression setting: lz4 again where the server has it (see 0012).
DO $$
BEGIN
  ALTER TABLE "runbook_revisions" ALTER COLUMN "parsed" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
  NULL;
END
$$;
