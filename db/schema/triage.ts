import { bigserial, boolean, customType, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { byteaBytes } from "../bytea";
import { environments } from "./environments";
import { incidents } from "./incidents";
import { stepExecutions } from "./executions";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array | string }>({
  dataType: () => "bytea",
  fromDriver: byteaBytes,
});

/** One scraped value of a runtime signal (seed 002's key signals) for an environment. */
export const signalSamples = pgTable(
  "signal_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    // "" for unlabelled series; the backpressure reason otherwise.
    reason: text("reason").notNull().default(""),
    labels: jsonb("labels").$type<Record<string, string>>().notNull().default({}),
    value: doublePrecision("value").notNull(),
    scrapedAt: timestamp("scraped_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index("signal_samples_env_metric_idx").on(t.environmentId, t.metric, t.scrapedAt)],
);

/** The outcome of each scrape (so "no data" and "scrape failed" are visible). */
export const signalScrapes = pgTable(
  "signal_scrapes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull(),
    ok: boolean("ok").notNull(),
    error: text("error"),
    durationMs: integer("duration_ms").notNull().default(0),
  },
  (t) => [index("signal_scrapes_env_idx").on(t.environmentId, t.at)],
);

/** A seed 002 high-severity trigger as an admin-tunable rule. */
export const triggerRules = pgTable(
  "trigger_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    enabled: boolean("enabled").notNull().default(true),
    threshold: doublePrecision("threshold").notNull(),
    // How long the condition must hold before the rule fires.
    durationMs: integer("duration_ms").notNull().default(0),
    suggestedSeverity: text("suggested_severity").notNull(),
    playbook: text("playbook").notNull(),
    surface: text("surface").notNull(),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [uniqueIndex("trigger_rules_key_unique").on(t.key)],
);

/** Per environment and rule: whether it fires, since when, and the data that made it fire. */
export const triggerStates = pgTable(
  "trigger_states",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => triggerRules.id, { onDelete: "cascade" }),
    // When the condition first held in the current streak (before the duration elapsed).
    pendingSince: timestamp("pending_since", { withTimezone: true, precision: 3 }),
    firing: boolean("firing").notNull().default(false),
    firingSince: timestamp("firing_since", { withTimezone: true, precision: 3 }),
    clearedAt: timestamp("cleared_at", { withTimezone: true, precision: 3 }),
    lastData: jsonb("last_data").$type<Record<string, unknown>>().notNull().default({}),
    evaluatedAt: timestamp("evaluated_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [uniqueIndex("trigger_states_env_rule_unique").on(t.environmentId, t.ruleId)],
);

export const evidenceKinds = ["health", "metrics", "jobs", "audit_logs", "dlq"] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

/** One captured piece of evidence. Never updated: the hash is the promise. */
export const evidenceArtifacts = pgTable(
  "evidence_artifacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id").references(() => environments.id, { onDelete: "set null" }),
    captureId: uuid("capture_id").notNull(),
    kind: text("kind").$type<EvidenceKind>().notNull(),
    sourceUrl: text("source_url").notNull(),
    contentType: text("content_type").notNull().default("application/json"),
    content: bytea("content"),
    sha256: text("sha256"),
    sizeBytes: integer("size_bytes").notNull().default(0),
    error: text("error"),
    capturedAt: timestamp("captured_at", { withTimezone: true, precision: 3 }).notNull(),
    capturedBy: text("captured_by").notNull(),
  },
  (t) => [index("evidence_artifacts_incident_idx").on(t.incidentId, t.capturedAt)],
);

/** A freeze on careful and destructive actions for an incident's environment. */
export const freezes = pgTable(
  "freezes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    frozenBy: text("frozen_by").notNull(),
    frozenAt: timestamp("frozen_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    liftedBy: text("lifted_by"),
    liftedAt: timestamp("lifted_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [index("freezes_env_idx").on(t.environmentId)],
);

/** A commander's approval of exactly one careful or destructive execution during a freeze. */
export const freezeApprovals = pgTable("freeze_approvals", {
  id: uuid("id").primaryKey().defaultRandom(),
  freezeId: uuid("freeze_id")
    .notNull()
    .references(() => freezes.id, { onDelete: "cascade" }),
  action: text("action").notNull(),
  target: text("target").notNull().default(""),
  reason: text("reason").notNull(),
  approvedBy: text("approved_by").notNull(),
  approvedAt: timestamp("approved_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  usedAt: timestamp("used_at", { withTimezone: true, precision: 3 }),
  usedBy: text("used_by"),
  executionId: uuid("execution_id").references(() => stepExecutions.id, { onDelete: "set null" }),
});

/** Seed 002 §6 run as a check; gates "resolved" for the incident. */
export const recoveryChecks = pgTable(
  "recovery_checks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    environmentId: uuid("environment_id").references(() => environments.id, { onDelete: "set null" }),
    passed: boolean("passed").notNull(),
    results: jsonb("results").$type<{ check: string; passed: boolean; detail: string }[]>().notNull(),
    override: boolean("override").notNull().default(false),
    reason: text("reason"),
    ranBy: text("ran_by").notNull(),
    ranAt: timestamp("ran_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("recovery_checks_incident_idx").on(t.incidentId, t.ranAt)],
);

export type SignalSample = typeof signalSamples.$inferSelect;
export type TriggerRule = typeof triggerRules.$inferSelect;
export type TriggerState = typeof triggerStates.$inferSelect;
export type EvidenceArtifact = typeof evidenceArtifacts.$inferSelect;
export type Freeze = typeof freezes.$inferSelect;
export type FreezeApproval = typeof freezeApprovals.$inferSelect;
export type RecoveryCheck = typeof recoveryChecks.$inferSelect;
