CREATE TYPE "public"."runbook_status" AS ENUM('pending', 'draft', 'validated');--> statement-breakpoint
CREATE TYPE "public"."validation_result" AS ENUM('pass', 'pass_with_notes', 'fail');--> statement-breakpoint
CREATE TABLE "runbook_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_runbook_id" uuid NOT NULL,
	"from_revision_id" uuid NOT NULL,
	"target_slug" text NOT NULL,
	"text" text NOT NULL,
	"href" text NOT NULL,
	"category" text,
	"line" integer NOT NULL,
	"pending" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runbook_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"runbook_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"markdown" text NOT NULL,
	"sha256" text NOT NULL,
	"parsed" jsonb NOT NULL,
	"file_name" text,
	"change_note" text,
	"source" text NOT NULL,
	"author_id" uuid,
	"author_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "runbook_validations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"runbook_id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"date" text NOT NULL,
	"validator" text NOT NULL,
	"environment" text NOT NULL,
	"result" "validation_result" NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"report_url" text,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_by" uuid
);
--> statement-breakpoint
CREATE TABLE "runbooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"category" text,
	"summary" text,
	"status" "runbook_status" DEFAULT 'draft' NOT NULL,
	"current_revision_id" uuid,
	"owner" text,
	"last_validated_at" timestamp with time zone,
	"last_validated_revision_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "runbook_links" ADD CONSTRAINT "runbook_links_from_runbook_id_runbooks_id_fk" FOREIGN KEY ("from_runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD CONSTRAINT "runbook_revisions_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_validations" ADD CONSTRAINT "runbook_validations_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runbook_links_from_idx" ON "runbook_links" USING btree ("from_runbook_id");--> statement-breakpoint
CREATE INDEX "runbook_links_target_idx" ON "runbook_links" USING btree ("target_slug");--> statement-breakpoint
CREATE UNIQUE INDEX "runbook_revisions_number_unique" ON "runbook_revisions" USING btree ("runbook_id","number");--> statement-breakpoint
CREATE INDEX "runbook_validations_runbook_idx" ON "runbook_validations" USING btree ("runbook_id","signed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "runbooks_slug_unique" ON "runbooks" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "runbooks_category_idx" ON "runbooks" USING btree ("category");