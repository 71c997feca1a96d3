ALTER TABLE "public_updates" ADD COLUMN "corrected_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "public_updates" ADD COLUMN "corrected_by" text;--> statement-breakpoint
ALTER TABLE "public_updates" ADD COLUMN "retracted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "public_updates" ADD COLUMN "retracted_by" text;--> statement-breakpoint
ALTER TABLE "public_updates" ADD COLUMN "retraction_reason" text;