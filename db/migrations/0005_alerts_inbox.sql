CREATE TYPE "public"."alert_auth_mode" AS ENUM('bearer', 'hmac', 'none');--> statement-breakpoint
CREATE TYPE "public"."alert_source_kind" AS ENUM('alertmanager', 'grafana', 'generic', 'sitrep');--> statement-breakpoint
CREATE TYPE "public"."alert_status" AS ENUM('firing', 'resolved');--> statement-breakpoint
CREATE TABLE "alert_routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"matchers" jsonb NOT NULL,
	"suggested_severity" text NOT NULL,
	"surfaces" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"owner" text DEFAULT '' NOT NULL,
	"auto_declare" boolean DEFAULT false NOT NULL,
	"auto_declare_after_ms" integer DEFAULT 300000 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "alert_silences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"matchers" jsonb NOT NULL,
	"comment" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"alert_id" uuid,
	"source_id" uuid,
	"external_id" text,
	"external_error" text,
	"expired_at" timestamp (3) with time zone,
	"expired_by" text
);
--> statement-breakpoint
CREATE TABLE "alert_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "alert_source_kind" NOT NULL,
	"auth_mode" "alert_auth_mode" NOT NULL,
	"secret_hash" text,
	"hmac_key" text,
	"mapping" jsonb,
	"alertmanager_url" text,
	"group_by" jsonb DEFAULT '["alertname"]'::jsonb NOT NULL,
	"accepted_count" bigint DEFAULT 0 NOT NULL,
	"rejected_count" bigint DEFAULT 0 NOT NULL,
	"last_received_at" timestamp (3) with time zone,
	"last_error" text,
	"last_error_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	"revoked_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"fingerprint" text NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"severity" text DEFAULT 'none' NOT NULL,
	"severity_rank" smallint DEFAULT 3 NOT NULL,
	"status" "alert_status" NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"runbook_url" text,
	"generator_url" text,
	"group_key" text NOT NULL,
	"group_labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone,
	"first_received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"last_received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"received_count" integer DEFAULT 1 NOT NULL,
	"environment_id" uuid,
	"acked_at" timestamp (3) with time zone,
	"acked_by" text,
	"incident_id" uuid,
	"attached_at" timestamp (3) with time zone,
	"attached_by" text
);
--> statement-breakpoint
ALTER TABLE "trigger_states" DROP CONSTRAINT "trigger_states_declared_incident_id_incidents_id_fk";
--> statement-breakpoint
ALTER TABLE "alert_silences" ADD CONSTRAINT "alert_silences_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_silences" ADD CONSTRAINT "alert_silences_source_id_alert_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."alert_sources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_source_id_alert_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."alert_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_routing_rules_position_idx" ON "alert_routing_rules" USING btree ("position");--> statement-breakpoint
CREATE INDEX "alert_silences_ends_idx" ON "alert_silences" USING btree ("ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_sources_name_unique" ON "alert_sources" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_fingerprint_unique" ON "alerts" USING btree ("source_id","fingerprint") WHERE "alerts"."status" = 'firing';--> statement-breakpoint
CREATE INDEX "alerts_fingerprint_idx" ON "alerts" USING btree ("source_id","fingerprint","starts_at");--> statement-breakpoint
CREATE INDEX "alerts_firing_idx" ON "alerts" USING btree ("group_key","severity_rank","starts_at") WHERE "alerts"."status" = 'firing';--> statement-breakpoint
CREATE INDEX "alerts_resolved_idx" ON "alerts" USING btree ("ends_at") WHERE "alerts"."status" = 'resolved';--> statement-breakpoint
CREATE INDEX "alerts_incident_idx" ON "alerts" USING btree ("incident_id") WHERE "alerts"."incident_id" is not null;--> statement-breakpoint
ALTER TABLE "trigger_states" DROP COLUMN "declared_incident_id";