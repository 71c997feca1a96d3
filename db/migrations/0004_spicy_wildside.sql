CREATE TYPE "public"."drill_item_kind" AS ENUM('setup', 'step', 'manual', 'cleanup');--> statement-breakpoint
CREATE TYPE "public"."drill_mode" AS ENUM('auto', 'step');--> statement-breakpoint
CREATE TYPE "public"."drill_outcome" AS ENUM('pending', 'running', 'waiting', 'passed', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."drill_state" AS ENUM('running', 'paused', 'aborted', 'completed');--> statement-breakpoint
CREATE TABLE "drill_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"runbook_slug" text NOT NULL,
	"plan" jsonb NOT NULL,
	"origin" text DEFAULT 'custom' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "drill_signoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"drill_id" uuid NOT NULL,
	"result" "validation_result" NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"validation_id" uuid,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_by" text NOT NULL,
	"signed_by_name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drill_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"drill_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"kind" "drill_item_kind" NOT NULL,
	"step_id" text,
	"commands" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"title" text NOT NULL,
	"section" text DEFAULT '' NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"ran" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"execution_id" uuid,
	"output" text DEFAULT '' NOT NULL,
	"exit_code" integer,
	"http_status" integer,
	"duration_ms" integer,
	"expectation" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" "drill_outcome" DEFAULT 'pending' NOT NULL,
	"reason" text,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"decided_by" text,
	"decided_by_name" text
);
--> statement-breakpoint
CREATE TABLE "drills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"runbook_id" uuid NOT NULL,
	"runbook_slug" text NOT NULL,
	"runbook_title" text NOT NULL,
	"revision_id" uuid NOT NULL,
	"revision_number" integer NOT NULL,
	"environment_id" uuid NOT NULL,
	"environment_name" text NOT NULL,
	"state" "drill_state" DEFAULT 'running' NOT NULL,
	"mode" "drill_mode" DEFAULT 'auto' NOT NULL,
	"inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"plan" jsonb NOT NULL,
	"result" text,
	"reason" text,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_by" text NOT NULL,
	"started_by_name" text NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"runner_id" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "drill_signoffs" ADD CONSTRAINT "drill_signoffs_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_steps" ADD CONSTRAINT "drill_steps_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drill_plans_runbook_unique" ON "drill_plans" USING btree ("runbook_slug");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_signoffs_drill_unique" ON "drill_signoffs" USING btree ("drill_id");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_steps_attempt_unique" ON "drill_steps" USING btree ("drill_id","position","attempt");--> statement-breakpoint
CREATE INDEX "drills_runbook_idx" ON "drills" USING btree ("runbook_slug","started_at");--> statement-breakpoint
CREATE INDEX "drills_state_idx" ON "drills" USING btree ("state");