CREATE TYPE "public"."environment_kind" AS ENUM('reference', 'drill', 'staging', 'production');--> statement-breakpoint
CREATE TYPE "public"."surface_state" AS ENUM('unknown', 'up', 'down');--> statement-breakpoint
CREATE TYPE "public"."execution_kind" AS ENUM('http', 'shell', 'mixed');--> statement-breakpoint
CREATE TYPE "public"."execution_state" AS ENUM('running', 'succeeded', 'failed', 'lost', 'cancelled');--> statement-breakpoint
CREATE TABLE "agents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"environment_id" uuid NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"agent_key" text NOT NULL,
	"secret" text NOT NULL,
	"allowlist_summary" jsonb,
	"last_seen_at" timestamp with time zone,
	"last_error" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "environment_surfaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"environment_id" uuid NOT NULL,
	"name" text NOT NULL,
	"unit" text,
	"command" text,
	"port" integer,
	"health_url" text NOT NULL,
	"host_header" text,
	"group" text DEFAULT 'services' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"state" "surface_state" DEFAULT 'unknown' NOT NULL,
	"last_status" integer,
	"last_latency_ms" integer,
	"last_error" text,
	"last_checked_at" timestamp with time zone,
	"last_change_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "environment_kind" NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"control_base_url" text NOT NULL,
	"runtime_base_url" text NOT NULL,
	"production" boolean DEFAULT false NOT NULL,
	"runtime_token" text,
	"fault_token" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "surface_health_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"surface_id" uuid NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"from" "surface_state" NOT NULL,
	"to" "surface_state" NOT NULL,
	"http_status" integer,
	"latency_ms" integer,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "execution_chunks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"execution_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"stream" text NOT NULL,
	"text" text NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "step_executions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"runbook_id" text,
	"runbook_slug" text NOT NULL,
	"revision_id" text,
	"step_id" text NOT NULL,
	"step_title" text DEFAULT '' NOT NULL,
	"kind" "execution_kind" NOT NULL,
	"source" text NOT NULL,
	"ran" jsonb NOT NULL,
	"environment_id" uuid NOT NULL,
	"environment_name" text NOT NULL,
	"agent_id" uuid,
	"host" text,
	"inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"captures" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"exit_code" integer,
	"http_status" integer,
	"expectation_met" boolean,
	"state" "execution_state" DEFAULT 'running' NOT NULL,
	"reason" text,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_by" text NOT NULL,
	"started_by_email" text NOT NULL,
	"finished_at" timestamp (3) with time zone,
	"duration_ms" integer,
	"runner_id" text
);
--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_surfaces" ADD CONSTRAINT "environment_surfaces_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surface_health_changes" ADD CONSTRAINT "surface_health_changes_surface_id_environment_surfaces_id_fk" FOREIGN KEY ("surface_id") REFERENCES "public"."environment_surfaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution_chunks" ADD CONSTRAINT "execution_chunks_execution_id_step_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."step_executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_name_unique" ON "agents" USING btree ("environment_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "environment_surfaces_name_unique" ON "environment_surfaces" USING btree ("environment_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "environments_name_unique" ON "environments" USING btree ("name");--> statement-breakpoint
CREATE INDEX "surface_health_changes_surface_idx" ON "surface_health_changes" USING btree ("surface_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "execution_chunks_seq_unique" ON "execution_chunks" USING btree ("execution_id","seq");--> statement-breakpoint
CREATE INDEX "step_executions_runbook_idx" ON "step_executions" USING btree ("runbook_slug","started_at");--> statement-breakpoint
CREATE INDEX "step_executions_running_idx" ON "step_executions" USING btree ("state") WHERE state = 'running';