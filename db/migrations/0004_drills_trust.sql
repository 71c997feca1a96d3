CREATE TYPE "public"."drill_trigger" AS ENUM('person', 'cli', 'schedule');--> statement-breakpoint
CREATE TABLE "drill_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"runbook_slug" text NOT NULL,
	"schedule" text DEFAULT 'quarterly' NOT NULL,
	"environment_id" uuid NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp (3) with time zone NOT NULL,
	"last_run_at" timestamp (3) with time zone,
	"last_drill_id" uuid,
	"last_error" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "notification_reads" (
	"notification_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"read_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_reads_notification_id_user_id_pk" PRIMARY KEY("notification_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"recipient_id" text,
	"addressed_to" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"link" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "drills" ADD COLUMN "trigger" "drill_trigger" DEFAULT 'person' NOT NULL;--> statement-breakpoint
ALTER TABLE "drills" ADD COLUMN "unattended" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "drills" ADD COLUMN "pause_reason" text;--> statement-breakpoint
ALTER TABLE "drills" ADD COLUMN "abort_reason" text;--> statement-breakpoint
ALTER TABLE "webhook_subscribers" ADD COLUMN "topics" jsonb DEFAULT '["status"]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drill_schedules_runbook_unique" ON "drill_schedules" USING btree ("runbook_slug");--> statement-breakpoint
CREATE INDEX "drill_schedules_due_idx" ON "drill_schedules" USING btree ("next_run_at") WHERE "drill_schedules"."enabled";--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_id","created_at");