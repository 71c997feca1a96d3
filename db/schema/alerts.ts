import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { environments } from "./environments";
import { incidents } from "./incidents";

export const alertSourceKindEnum = pgEnum("alert_source_kind", ["alertmanager", "grafana", "generic", "sitrep"]);
export const alertAuthModeEnum = pgEnum("alert_auth_mode", ["bearer", "hmac", "none"]);
export const alertStatusEnum = pgEnum("alert_status", ["firing", "resolved"]);

export type GenericMapping = {
  /** Dotted path to the list of alerts in the body; empty means the body is one alert (or a list). */
  alerts?: string;
  title: string;
  severity?: string;
  labels?: string;
  fingerprint?: string;
  status?: string;
  runbookUrl?: string;
  /** Values of `status` that mean resolved (case-insensitive); default ["resolved", "ok"]. */
  resolvedValues?: string[];
};

/**
 * Where alerts come from: an Alertmanager, a Grafana, a generic JSON sender (each with its own
 * webhook URL and secret), or Sitrep's own trigger rules (kind `sitrep`, no webhook).
 */
export const alertSources = pgTable(
  "alert_sources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    kind: alertSourceKindEnum("kind").notNull(),
    authMode: alertAuthModeEnum("auth_mode").notNull(),
    // Bearer: SHA-256 of the token (the token itself is shown once). HMAC: the shared key, which
    // verifying a signature needs.
    secretHash: text("secret_hash"),
    hmacKey: text("hmac_key"),
    mapping: jsonb("mapping").$type<GenericMapping | null>(),
    /** Alertmanager's own base URL, for silences through its API v2 (optional). */
    alertmanagerUrl: text("alertmanager_url"),
    /** Labels that form a group when the payload brings no group of its own (Alertmanager's group_by). */
    groupBy: jsonb("group_by").$type<string[]>().notNull().default(["alertname"]),
    acceptedCount: bigint("accepted_count", { mode: "number" }).notNull().default(0),
    rejectedCount: bigint("rejected_count", { mode: "number" }).notNull().default(0),
    lastReceivedAt: timestamp("last_received_at", { withTimezone: true, precision: 3 }),
    lastError: text("last_error"),
    lastErrorAt: timestamp("last_error_at", { withTimezone: true, precision: 3 }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, precision: 3 }),
    revokedBy: text("revoked_by"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text("created_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("alert_sources_name_unique").on(t.name)],
);

/**
 * One episode of one alert: a fingerprint from its first firing notification until resolved.
 * Repeats update the open episode (dedupe); a firing after resolution opens a new one.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sourceId: uuid("source_id")
      .notNull()
      .references(() => alertSources.id, { onDelete: "cascade" }),
    fingerprint: text("fingerprint").notNull(),
    name: text("name").notNull(),
    title: text("title").notNull(),
    severity: text("severity").notNull().default("none"),
    /** 0 critical … 3 none: the inbox orders by it through the firing index. */
    severityRank: smallint("severity_rank").notNull().default(3),
    status: alertStatusEnum("status").notNull(),
    labels: jsonb("labels").$type<Record<string, string>>().notNull().default({}),
    annotations: jsonb("annotations").$type<Record<string, string>>().notNull().default({}),
    runbookUrl: text("runbook_url"),
    generatorUrl: text("generator_url"),
    groupKey: text("group_key").notNull(),
    groupLabels: jsonb("group_labels").$type<Record<string, string>>().notNull().default({}),
    startsAt: timestamp("starts_at", { withTimezone: true, precision: 3 }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true, precision: 3 }),
    firstReceivedAt: timestamp("first_received_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastReceivedAt: timestamp("last_received_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    receivedCount: integer("received_count").notNull().default(1),
    /** For alerts of Sitrep's own trigger rules: which environment and rule. */
    environmentId: uuid("environment_id").references(() => environments.id, { onDelete: "set null" }),
    ackedAt: timestamp("acked_at", { withTimezone: true, precision: 3 }),
    ackedBy: text("acked_by"),
    incidentId: uuid("incident_id").references(() => incidents.id, { onDelete: "set null" }),
    attachedAt: timestamp("attached_at", { withTimezone: true, precision: 3 }),
    attachedBy: text("attached_by"),
  },
  (t) => [
    // Dedupe: at most one open episode per fingerprint and source.
    uniqueIndex("alerts_open_fingerprint_unique").on(t.sourceId, t.fingerprint).where(sql`${t.status} = 'firing'`),
    index("alerts_fingerprint_idx").on(t.sourceId, t.fingerprint, t.startsAt),
    // The inbox's hot path: firing alerts by group, most severe and oldest first.
    index("alerts_firing_idx").on(t.groupKey, t.severityRank, t.startsAt).where(sql`${t.status} = 'firing'`),
    index("alerts_resolved_idx").on(t.endsAt).where(sql`${t.status} = 'resolved'`),
    index("alerts_incident_idx").on(t.incidentId).where(sql`${t.incidentId} is not null`),
  ],
);

export type LabelMatcher = { label: string; op: "=" | "!=" | "=~" | "!~"; value: string };

/** Ordered label matchers → suggested SEV, surfaces, owner, optional auto-declare. First match wins. */
export const alertRoutingRules = pgTable(
  "alert_routing_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    matchers: jsonb("matchers").$type<LabelMatcher[]>().notNull(),
    suggestedSeverity: text("suggested_severity").notNull(),
    surfaces: jsonb("surfaces").$type<string[]>().notNull().default([]),
    owner: text("owner").notNull().default(""),
    autoDeclare: boolean("auto_declare").notNull().default(false),
    /** How long a matching alert must keep firing before the rule declares. */
    autoDeclareAfterMs: integer("auto_declare_after_ms").notNull().default(300_000),
    enabled: boolean("enabled").notNull().default(true),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [index("alert_routing_rules_position_idx").on(t.position)],
);

/** "Silence here for a time": alerts whose labels match stay out of the way until it ends. */
export const alertSilences = pgTable(
  "alert_silences",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    matchers: jsonb("matchers").$type<LabelMatcher[]>().notNull(),
    comment: text("comment").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true, precision: 3 }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true, precision: 3 }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** The alert it was made from, for the inbox's "silenced until". */
    alertId: uuid("alert_id").references(() => alerts.id, { onDelete: "set null" }),
    /** The silence also made in Alertmanager (API v2), or why that failed. */
    sourceId: uuid("source_id").references(() => alertSources.id, { onDelete: "set null" }),
    externalId: text("external_id"),
    externalError: text("external_error"),
    expiredAt: timestamp("expired_at", { withTimezone: true, precision: 3 }),
    expiredBy: text("expired_by"),
  },
  (t) => [index("alert_silences_ends_idx").on(t.endsAt)],
);

export type AlertSource = typeof alertSources.$inferSelect;
export type Alert = typeof alerts.$inferSelect;
export type AlertRoutingRule = typeof alertRoutingRules.$inferSelect;
export type AlertSilence = typeof alertSilences.$inferSelect;
