CREATE TYPE "public"."checklist_kind" AS ENUM('first_five_minutes', 'recovery_validation', 'post_incident');--> statement-breakpoint
CREATE TYPE "public"."incident_role" AS ENUM('commander', 'scribe', 'comms', 'responder');--> statement-breakpoint
CREATE TYPE "public"."incident_status" AS ENUM('triage', 'investigating', 'identified', 'mitigating', 'monitoring', 'resolved', 'closed');--> statement-breakpoint
CREATE TYPE "public"."incident_severity" AS ENUM('SEV1', 'SEV2', 'SEV3');--> statement-breakpoint
CREATE SEQUENCE "public"."incident_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "checklist_templates" (
	"kind" "checklist_kind" PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"items" jsonb NOT NULL,
	"source" text DEFAULT 'default' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "incident_checklist_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"checklist_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	"done_at" timestamp (3) with time zone,
	"done_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_checklists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"kind" "checklist_kind" NOT NULL,
	"title" text NOT NULL,
	"template_version" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"role" "incident_role" NOT NULL,
	"user_id" uuid NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"assigned_by" uuid,
	"ended_at" timestamp (3) with time zone,
	"ended_by" uuid
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer DEFAULT nextval('incident_number_seq') NOT NULL,
	"title" text NOT NULL,
	"severity" "incident_severity" NOT NULL,
	"status" "incident_status" DEFAULT 'triage' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"surfaces" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"commander_id" uuid,
	"detected_at" timestamp (3) with time zone NOT NULL,
	"detected_by" uuid,
	"declared_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"declared_by" uuid,
	"acknowledged_at" timestamp (3) with time zone,
	"acknowledged_by" uuid,
	"mitigated_at" timestamp (3) with time zone,
	"mitigated_by" uuid,
	"resolved_at" timestamp (3) with time zone,
	"resolved_by" uuid,
	"closed_at" timestamp (3) with time zone,
	"closed_by" uuid,
	"close_override_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sev_definitions" (
	"severity" "incident_severity" PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"response_expectation" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "timeline_events" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "timeline_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"incident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"actor_id" text,
	"actor_name" text,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"key_moment" text,
	"key_moment_label" text,
	"key_moment_by" text,
	"key_moment_at" timestamp (3) with time zone,
	"edited_at" timestamp (3) with time zone,
	"edited_by" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timeline_note_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_seq" bigint NOT NULL,
	"revision" integer NOT NULL,
	"body" text NOT NULL,
	"written_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"written_by" text,
	"written_by_name" text
);
--> statement-breakpoint
ALTER TABLE "incident_checklist_items" ADD CONSTRAINT "incident_checklist_items_checklist_id_incident_checklists_id_fk" FOREIGN KEY ("checklist_id") REFERENCES "public"."incident_checklists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_checklist_items" ADD CONSTRAINT "incident_checklist_items_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_checklists" ADD CONSTRAINT "incident_checklists_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_roles" ADD CONSTRAINT "incident_roles_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_roles" ADD CONSTRAINT "incident_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_roles" ADD CONSTRAINT "incident_roles_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_roles" ADD CONSTRAINT "incident_roles_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_commander_id_users_id_fk" FOREIGN KEY ("commander_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_detected_by_users_id_fk" FOREIGN KEY ("detected_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_mitigated_by_users_id_fk" FOREIGN KEY ("mitigated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_events" ADD CONSTRAINT "timeline_events_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timeline_note_revisions" ADD CONSTRAINT "timeline_note_revisions_event_seq_timeline_events_seq_fk" FOREIGN KEY ("event_seq") REFERENCES "public"."timeline_events"("seq") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_checklist_items_list_idx" ON "incident_checklist_items" USING btree ("checklist_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_checklists_kind_unique" ON "incident_checklists" USING btree ("incident_id","kind");--> statement-breakpoint
CREATE INDEX "incident_roles_incident_idx" ON "incident_roles" USING btree ("incident_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "incident_roles_single_holder" ON "incident_roles" USING btree ("incident_id","role") WHERE "incident_roles"."ended_at" is null and "incident_roles"."role" <> 'responder';--> statement-breakpoint
CREATE UNIQUE INDEX "incident_roles_responder_once" ON "incident_roles" USING btree ("incident_id","user_id") WHERE "incident_roles"."ended_at" is null and "incident_roles"."role" = 'responder';--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_number_unique" ON "incidents" USING btree ("number");--> statement-breakpoint
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("severity","declared_at") WHERE "incidents"."status" not in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status");--> statement-breakpoint
CREATE INDEX "timeline_events_incident_idx" ON "timeline_events" USING btree ("incident_id","seq");--> statement-breakpoint
CREATE INDEX "timeline_events_kind_idx" ON "timeline_events" USING btree ("incident_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "timeline_note_revisions_unique" ON "timeline_note_revisions" USING btree ("event_seq","revision");