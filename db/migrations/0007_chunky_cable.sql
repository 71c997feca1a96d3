CREATE TABLE "evidence_artifacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"environment_id" uuid,
	"capture_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"source_url" text NOT NULL,
	"content_type" text DEFAULT 'application/json' NOT NULL,
	"content" "bytea",
	"sha256" text,
	"size_bytes" integer DEFAULT 0 NOT NULL,
	"error" text,
	"captured_at" timestamp (3) with time zone NOT NULL,
	"captured_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "freeze_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"freeze_id" uuid NOT NULL,
	"action" text NOT NULL,
	"target" text DEFAULT '' NOT NULL,
	"reason" text NOT NULL,
	"approved_by" text NOT NULL,
	"approved_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp (3) with time zone,
	"used_by" text,
	"execution_id" uuid
);
--> statement-breakpoint
CREATE TABLE "freezes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"frozen_by" text NOT NULL,
	"frozen_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"lifted_by" text,
	"lifted_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "recovery_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"environment_id" uuid,
	"passed" boolean NOT NULL,
	"results" jsonb NOT NULL,
	"override" boolean DEFAULT false NOT NULL,
	"reason" text,
	"ran_by" text NOT NULL,
	"ran_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signal_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"environment_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"value" double precision NOT NULL,
	"scraped_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signal_scrapes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"environment_id" uuid NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"ok" boolean NOT NULL,
	"error" text,
	"duration_ms" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trigger_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"threshold" double precision NOT NULL,
	"duration_ms" integer DEFAULT 0 NOT NULL,
	"suggested_severity" text NOT NULL,
	"playbook" text NOT NULL,
	"surface" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "trigger_states" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"environment_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"pending_since" timestamp (3) with time zone,
	"firing" boolean DEFAULT false NOT NULL,
	"firing_since" timestamp (3) with time zone,
	"cleared_at" timestamp (3) with time zone,
	"last_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"evaluated_at" timestamp (3) with time zone,
	"declared_incident_id" uuid
);
--> statement-breakpoint
ALTER TABLE "evidence_artifacts" ADD CONSTRAINT "evidence_artifacts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence_artifacts" ADD CONSTRAINT "evidence_artifacts_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "freeze_approvals" ADD CONSTRAINT "freeze_approvals_freeze_id_freezes_id_fk" FOREIGN KEY ("freeze_id") REFERENCES "public"."freezes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "freeze_approvals" ADD CONSTRAINT "freeze_approvals_execution_id_step_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."step_executions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "freezes" ADD CONSTRAINT "freezes_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_checks" ADD CONSTRAINT "recovery_checks_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_checks" ADD CONSTRAINT "recovery_checks_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_samples" ADD CONSTRAINT "signal_samples_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_scrapes" ADD CONSTRAINT "signal_scrapes_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_states" ADD CONSTRAINT "trigger_states_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_states" ADD CONSTRAINT "trigger_states_rule_id_trigger_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."trigger_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_states" ADD CONSTRAINT "trigger_states_declared_incident_id_incidents_id_fk" FOREIGN KEY ("declared_incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evidence_artifacts_incident_idx" ON "evidence_artifacts" USING btree ("incident_id","captured_at");--> statement-breakpoint
CREATE INDEX "freezes_env_idx" ON "freezes" USING btree ("environment_id");--> statement-breakpoint
CREATE INDEX "recovery_checks_incident_idx" ON "recovery_checks" USING btree ("incident_id","ran_at");--> statement-breakpoint
CREATE INDEX "signal_samples_env_metric_idx" ON "signal_samples" USING btree ("environment_id","metric","scraped_at");--> statement-breakpoint
CREATE INDEX "signal_scrapes_env_idx" ON "signal_scrapes" USING btree ("environment_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "trigger_rules_key_unique" ON "trigger_rules" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "trigger_states_env_rule_unique" ON "trigger_states" USING btree ("environment_id","rule_id");