CREATE TYPE "public"."follow_up_runbook_action" AS ENUM('update', 'create');--> statement-breakpoint
CREATE TYPE "public"."follow_up_state" AS ENUM('open', 'in_progress', 'done', 'wont_do');--> statement-breakpoint
CREATE TYPE "public"."review_moment" AS ENUM('started', 'detected', 'acknowledged', 'mitigated', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."review_status" AS ENUM('draft', 'in_review', 'published');--> statement-breakpoint
CREATE TABLE "review_added_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"body" text NOT NULL,
	"person_name" text DEFAULT '' NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"added_by" uuid,
	"added_by_name" text
);
--> statement-breakpoint
CREATE TABLE "review_annotations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"created_by_name" text
);
--> statement-breakpoint
CREATE TABLE "review_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"due_date" date,
	"state" "follow_up_state" DEFAULT 'open' NOT NULL,
	"runbook_action" "follow_up_runbook_action",
	"runbook_slug" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "review_key_moments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"moment" "review_moment" NOT NULL,
	"occurred_at" timestamp (3) with time zone NOT NULL,
	"item_key" text,
	"marked_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"marked_by" uuid,
	"marked_by_name" text
);
--> statement-breakpoint
CREATE TABLE "review_reviewers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"added_by" uuid,
	"approved_at" timestamp (3) with time zone,
	"approved_version" integer
);
--> statement-breakpoint
CREATE TABLE "review_time_corrections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"item_key" text NOT NULL,
	"original_occurred_at" timestamp (3) with time zone NOT NULL,
	"corrected_occurred_at" timestamp (3) with time zone NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"corrected_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"corrected_by" uuid,
	"corrected_by_name" text
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"status" "review_status" DEFAULT 'draft' NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"impact" text DEFAULT '' NOT NULL,
	"root_cause" text DEFAULT '' NOT NULL,
	"contributing_factors" text DEFAULT '' NOT NULL,
	"went_well" text DEFAULT '' NOT NULL,
	"missing_docs" text DEFAULT '' NOT NULL,
	"missing_alerts" text DEFAULT '' NOT NULL,
	"missing_automation" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"submitted_at" timestamp (3) with time zone,
	"submitted_by" uuid,
	"published_at" timestamp (3) with time zone,
	"published_by" uuid
);
--> statement-breakpoint
ALTER TABLE "review_added_events" ADD CONSTRAINT "review_added_events_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_added_events" ADD CONSTRAINT "review_added_events_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_annotations" ADD CONSTRAINT "review_annotations_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_annotations" ADD CONSTRAINT "review_annotations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_follow_ups" ADD CONSTRAINT "review_follow_ups_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_follow_ups" ADD CONSTRAINT "review_follow_ups_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_follow_ups" ADD CONSTRAINT "review_follow_ups_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_follow_ups" ADD CONSTRAINT "review_follow_ups_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_key_moments" ADD CONSTRAINT "review_key_moments_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_key_moments" ADD CONSTRAINT "review_key_moments_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_reviewers" ADD CONSTRAINT "review_reviewers_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_reviewers" ADD CONSTRAINT "review_reviewers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_reviewers" ADD CONSTRAINT "review_reviewers_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_time_corrections" ADD CONSTRAINT "review_time_corrections_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_time_corrections" ADD CONSTRAINT "review_time_corrections_corrected_by_users_id_fk" FOREIGN KEY ("corrected_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "review_added_events_review_idx" ON "review_added_events" USING btree ("review_id","occurred_at");--> statement-breakpoint
CREATE INDEX "review_annotations_review_idx" ON "review_annotations" USING btree ("review_id","item_key");--> statement-breakpoint
CREATE INDEX "review_follow_ups_review_idx" ON "review_follow_ups" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "review_follow_ups_open_idx" ON "review_follow_ups" USING btree ("due_date") WHERE "review_follow_ups"."state" in ('open', 'in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "review_key_moments_unique" ON "review_key_moments" USING btree ("review_id","moment");--> statement-breakpoint
CREATE UNIQUE INDEX "review_reviewers_unique" ON "review_reviewers" USING btree ("review_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_time_corrections_unique" ON "review_time_corrections" USING btree ("review_id","item_key");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_incident_unique" ON "reviews" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "reviews_unpublished_idx" ON "reviews" USING btree ("status") WHERE "reviews"."status" <> 'published';--> statement-breakpoint
CREATE INDEX "runbook_revisions_sha256_idx" ON "runbook_revisions" USING btree ("sha256");