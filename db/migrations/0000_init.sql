CREATE TYPE "public"."role" AS ENUM('admin', 'commander', 'responder', 'viewer');--> statement-breakpoint
CREATE TYPE "public"."runbook_status" AS ENUM('pending', 'draft', 'validated');--> statement-breakpoint
CREATE TYPE "public"."validation_result" AS ENUM('pass', 'pass_with_notes', 'fail');--> statement-breakpoint
CREATE TYPE "public"."environment_kind" AS ENUM('reference', 'drill', 'staging', 'production');--> statement-breakpoint
CREATE TYPE "public"."surface_state" AS ENUM('unknown', 'up', 'down');--> statement-breakpoint
CREATE TYPE "public"."execution_kind" AS ENUM('http', 'shell', 'mixed');--> statement-breakpoint
CREATE TYPE "public"."execution_state" AS ENUM('running', 'succeeded', 'failed', 'lost', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."checklist_kind" AS ENUM('first_five_minutes', 'recovery_validation', 'post_incident');--> statement-breakpoint
CREATE TYPE "public"."incident_role" AS ENUM('commander', 'scribe', 'comms', 'responder');--> statement-breakpoint
CREATE TYPE "public"."incident_status" AS ENUM('triage', 'investigating', 'identified', 'mitigating', 'monitoring', 'resolved', 'closed');--> statement-breakpoint
CREATE TYPE "public"."incident_severity" AS ENUM('SEV1', 'SEV2', 'SEV3');--> statement-breakpoint
CREATE TYPE "public"."drill_item_kind" AS ENUM('setup', 'step', 'manual', 'cleanup');--> statement-breakpoint
CREATE TYPE "public"."drill_mode" AS ENUM('auto', 'step');--> statement-breakpoint
CREATE TYPE "public"."drill_outcome" AS ENUM('pending', 'running', 'waiting', 'passed', 'failed', 'skipped');--> statement-breakpoint
CREATE TYPE "public"."drill_state" AS ENUM('running', 'paused', 'aborted', 'completed');--> statement-breakpoint
CREATE TYPE "public"."follow_up_runbook_action" AS ENUM('update', 'create');--> statement-breakpoint
CREATE TYPE "public"."follow_up_state" AS ENUM('open', 'in_progress', 'done', 'wont_do');--> statement-breakpoint
CREATE TYPE "public"."review_moment" AS ENUM('started', 'detected', 'acknowledged', 'mitigated', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."review_status" AS ENUM('draft', 'in_review', 'published');--> statement-breakpoint
CREATE TYPE "public"."component_state" AS ENUM('operational', 'degraded', 'partial_outage', 'major_outage', 'maintenance');--> statement-breakpoint
CREATE TYPE "public"."public_update_status" AS ENUM('investigating', 'identified', 'monitoring', 'resolved');--> statement-breakpoint
CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'delivered', 'failed');--> statement-breakpoint
CREATE SEQUENCE "public"."incident_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttles" (
	"email" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failure_at" timestamp with time zone,
	"blocked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "role" NOT NULL,
	"password_hash" text,
	"auth_provider" text DEFAULT 'credentials' NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor_id" text,
	"actor_email" text,
	"actor_role" text,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_head" (
	"id" text PRIMARY KEY DEFAULT 'head' NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "maintenance_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"component_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "public_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"title" text NOT NULL,
	"status" "public_update_status" NOT NULL,
	"message" text NOT NULL,
	"components" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"draft" boolean DEFAULT true NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"published_at" timestamp (3) with time zone,
	"published_by" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_component_states" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"component_id" uuid NOT NULL,
	"from_state" "component_state" NOT NULL,
	"state" "component_state" NOT NULL,
	"incident_id" uuid,
	"update_id" uuid,
	"published_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_components" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"group_name" text DEFAULT 'Services' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"surface_id" uuid,
	"state" "component_state" DEFAULT 'operational' NOT NULL,
	"state_changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "status_reminder_cadences" (
	"severity" "incident_severity" PRIMARY KEY NOT NULL,
	"minutes" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "status_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"title" text DEFAULT 'Service status' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"require_sign_in" boolean DEFAULT false NOT NULL,
	"environment_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "status_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"body" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_templates" (
	"severity" "incident_severity" NOT NULL,
	"status" "public_update_status" NOT NULL,
	"body" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"response_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subscriber_id" uuid NOT NULL,
	"event" text NOT NULL,
	"body" text NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"response_code" integer,
	"error" text,
	"next_attempt_at" timestamp (3) with time zone,
	"last_attempt_at" timestamp (3) with time zone,
	"delivered_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_subscribers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
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
ALTER TABLE "runbook_links" ADD CONSTRAINT "runbook_links_from_runbook_id_runbooks_id_fk" FOREIGN KEY ("from_runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_revisions" ADD CONSTRAINT "runbook_revisions_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runbook_validations" ADD CONSTRAINT "runbook_validations_runbook_id_runbooks_id_fk" FOREIGN KEY ("runbook_id") REFERENCES "public"."runbooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environment_surfaces" ADD CONSTRAINT "environment_surfaces_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surface_health_changes" ADD CONSTRAINT "surface_health_changes_surface_id_environment_surfaces_id_fk" FOREIGN KEY ("surface_id") REFERENCES "public"."environment_surfaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution_chunks" ADD CONSTRAINT "execution_chunks_execution_id_step_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."step_executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
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
ALTER TABLE "drill_signoffs" ADD CONSTRAINT "drill_signoffs_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_steps" ADD CONSTRAINT "drill_steps_drill_id_drills_id_fk" FOREIGN KEY ("drill_id") REFERENCES "public"."drills"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
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
ALTER TABLE "public_updates" ADD CONSTRAINT "public_updates_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_component_states" ADD CONSTRAINT "status_component_states_component_id_status_components_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."status_components"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_component_states" ADD CONSTRAINT "status_component_states_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_components" ADD CONSTRAINT "status_components_surface_id_environment_surfaces_id_fk" FOREIGN KEY ("surface_id") REFERENCES "public"."environment_surfaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscriber_id_webhook_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."webhook_subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
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
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "audit_entries_at_idx" ON "audit_entries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_entries_actor_idx" ON "audit_entries" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "audit_entries_target_idx" ON "audit_entries" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "audit_entries_action_idx" ON "audit_entries" USING btree ("action");--> statement-breakpoint
CREATE INDEX "runbook_links_from_idx" ON "runbook_links" USING btree ("from_runbook_id");--> statement-breakpoint
CREATE INDEX "runbook_links_target_idx" ON "runbook_links" USING btree ("target_slug");--> statement-breakpoint
CREATE UNIQUE INDEX "runbook_revisions_number_unique" ON "runbook_revisions" USING btree ("runbook_id","number");--> statement-breakpoint
CREATE INDEX "runbook_revisions_sha256_idx" ON "runbook_revisions" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "runbook_validations_runbook_idx" ON "runbook_validations" USING btree ("runbook_id","signed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "runbooks_slug_unique" ON "runbooks" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "runbooks_category_idx" ON "runbooks" USING btree ("category");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_name_unique" ON "agents" USING btree ("environment_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "environment_surfaces_name_unique" ON "environment_surfaces" USING btree ("environment_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "environments_name_unique" ON "environments" USING btree ("name");--> statement-breakpoint
CREATE INDEX "surface_health_changes_surface_idx" ON "surface_health_changes" USING btree ("surface_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "execution_chunks_seq_unique" ON "execution_chunks" USING btree ("execution_id","seq");--> statement-breakpoint
CREATE INDEX "step_executions_runbook_idx" ON "step_executions" USING btree ("runbook_slug","started_at");--> statement-breakpoint
CREATE INDEX "step_executions_running_idx" ON "step_executions" USING btree ("state") WHERE state = 'running';--> statement-breakpoint
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
CREATE UNIQUE INDEX "timeline_note_revisions_unique" ON "timeline_note_revisions" USING btree ("event_seq","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_plans_runbook_unique" ON "drill_plans" USING btree ("runbook_slug");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_signoffs_drill_unique" ON "drill_signoffs" USING btree ("drill_id");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_steps_attempt_unique" ON "drill_steps" USING btree ("drill_id","position","attempt");--> statement-breakpoint
CREATE INDEX "drills_runbook_idx" ON "drills" USING btree ("runbook_slug","started_at");--> statement-breakpoint
CREATE INDEX "drills_state_idx" ON "drills" USING btree ("state");--> statement-breakpoint
CREATE INDEX "review_added_events_review_idx" ON "review_added_events" USING btree ("review_id","occurred_at");--> statement-breakpoint
CREATE INDEX "review_annotations_review_idx" ON "review_annotations" USING btree ("review_id","item_key");--> statement-breakpoint
CREATE INDEX "review_follow_ups_review_idx" ON "review_follow_ups" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "review_follow_ups_open_idx" ON "review_follow_ups" USING btree ("due_date") WHERE "review_follow_ups"."state" in ('open', 'in_progress');--> statement-breakpoint
CREATE UNIQUE INDEX "review_key_moments_unique" ON "review_key_moments" USING btree ("review_id","moment");--> statement-breakpoint
CREATE UNIQUE INDEX "review_reviewers_unique" ON "review_reviewers" USING btree ("review_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_time_corrections_unique" ON "review_time_corrections" USING btree ("review_id","item_key");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_incident_unique" ON "reviews" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "reviews_unpublished_idx" ON "reviews" USING btree ("status") WHERE "reviews"."status" <> 'published';--> statement-breakpoint
CREATE INDEX "maintenance_windows_time_idx" ON "maintenance_windows" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "public_updates_incident_idx" ON "public_updates" USING btree ("incident_id","created_at");--> statement-breakpoint
CREATE INDEX "public_updates_published_idx" ON "public_updates" USING btree ("published_at") WHERE "public_updates"."draft" = false;--> statement-breakpoint
CREATE INDEX "status_component_states_component_idx" ON "status_component_states" USING btree ("component_id","published_at");--> statement-breakpoint
CREATE UNIQUE INDEX "status_components_name_unique" ON "status_components" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "status_templates_key" ON "status_templates" USING btree ("severity","status");--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_subscriber_idx" ON "webhook_deliveries" USING btree ("subscriber_id","created_at");--> statement-breakpoint
CREATE INDEX "evidence_artifacts_incident_idx" ON "evidence_artifacts" USING btree ("incident_id","captured_at");--> statement-breakpoint
CREATE INDEX "freezes_env_idx" ON "freezes" USING btree ("environment_id");--> statement-breakpoint
CREATE INDEX "recovery_checks_incident_idx" ON "recovery_checks" USING btree ("incident_id","ran_at");--> statement-breakpoint
CREATE INDEX "signal_samples_env_metric_idx" ON "signal_samples" USING btree ("environment_id","metric","scraped_at");--> statement-breakpoint
CREATE INDEX "signal_scrapes_env_idx" ON "signal_scrapes" USING btree ("environment_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "trigger_rules_key_unique" ON "trigger_rules" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "trigger_states_env_rule_unique" ON "trigger_states" USING btree ("environment_id","rule_id");