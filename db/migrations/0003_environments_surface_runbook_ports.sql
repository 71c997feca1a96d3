ALTER TABLE "environment_surfaces" ADD COLUMN "key" text;--> statement-breakpoint
ALTER TABLE "environment_surfaces" ADD COLUMN "runbook_ports" integer[] DEFAULT '{}'::integer[] NOT NULL;