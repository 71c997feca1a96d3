CREATE TABLE "runbook_repositories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"path" text NOT NULL,
	"branch" text,
	"commit_url_template" text,
	"subfolder" text,
	"last_commit" text,
	"last_synced_at" timestamp with time zone,
	"last_result" jsonb,
	"last_error" text,
	"schedule_minutes" integer,
	"next_sync_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD COLUMN "document" jsonb;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD COLUMN "parser_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD COLUMN "commit_id" text;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD COLUMN "commit_author" text;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD COLUMN "commit_date" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD COLUMN "source_path" text;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "alert_names" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "aliases" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "weight" integer;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "repository_id" uuid;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "source_path" text;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "archived_by" uuid;--> statement-breakpoint
ALTER TABLE "runbooks" ADD COLUMN "archived_reason" text;--> statement-breakpoint
CREATE UNIQUE INDEX "runbook_repositories_path_unique" ON "runbook_repositories" USING btree ("path","branch");--> statement-breakpoint
CREATE UNIQUE INDEX "runbook_repositories_name_unique" ON "runbook_repositories" USING btree ("name");--> statement-breakpoint
CREATE INDEX "runbooks_alert_names_idx" ON "runbooks" USING gin ("alert_names");--> statement-breakpoint
CREATE UNIQUE INDEX "runbooks_repository_path_unique" ON "runbooks" USING btree ("repository_id","source_path");