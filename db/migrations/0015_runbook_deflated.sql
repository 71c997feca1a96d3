-- A revision's structure and document are stored deflated: the parse worker compresses their JSON
-- (lib/runbooks/parse/deflated-json.ts), about a tenth of its size. A 1 MB runbook's revision
-- insert moved 5.5 MB and took about 90 ms on the embedded database, most of it compressing the
-- JSON there. Rows written before keep their JSON as UTF-8 bytes, which the reader tells apart.
ALTER TABLE "runbook_revisions" ALTER COLUMN "parsed" SET DATA TYPE bytea USING convert_to("parsed", 'UTF8');--> statement-breakpoint
ALTER TABLE "runbook_revisions" ALTER COLUMN "document" SET DATA TYPE bytea USING convert_to("document", 'UTF8');
