import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users";

export const incidentStatusEnum = pgEnum("incident_status", [
  "triage",
  "investigating",
  "identified",
  "mitigating",
  "monitoring",
  "resolved",
  "closed",
]);
export const severityEnum = pgEnum("incident_severity", ["SEV1", "SEV2", "SEV3"]);
export const incidentRoleEnum = pgEnum("incident_role", ["commander", "scribe", "comms", "responder"]);
export const checklistKindEnum = pgEnum("checklist_kind", ["first_five_minutes", "recovery_validation", "post_incident"]);

/** Human numbers (INC-42) come from their own sequence, independent of row ids. */
export const incidentNumberSeq = pgSequence("incident_number_seq", { startWith: 1 });

export const incidents = pgTable(
  "incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: integer("number")
      .notNull()
      .default(sql`nextval('incident_number_seq')`),
    title: text("title").notNull(),
    severity: severityEnum("severity").notNull(),
    status: incidentStatusEnum("status").notNull().default("triage"),
    summary: text("summary").notNull().default(""),
    surfaces: jsonb("surfaces").$type<string[]>().notNull().default([]),
    // The current commander, kept here for the list's filter; incident_roles has the history.
    commanderId: uuid("commander_id").references(() => users.id),
    detectedAt: timestamp("detected_at", { withTimezone: true, precision: 3 }).notNull(),
    detectedBy: uuid("detected_by").references(() => users.id),
    declaredAt: timestamp("declared_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    declaredBy: uuid("declared_by").references(() => users.id),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true, precision: 3 }),
    acknowledgedBy: uuid("acknowledged_by").references(() => users.id),
    mitigatedAt: timestamp("mitigated_at", { withTimezone: true, precision: 3 }),
    mitigatedBy: uuid("mitigated_by").references(() => users.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true, precision: 3 }),
    resolvedBy: uuid("resolved_by").references(() => users.id),
    closedAt: timestamp("closed_at", { withTimezone: true, precision: 3 }),
    closedBy: uuid("closed_by").references(() => users.id),
    closeOverrideReason: text("close_override_reason"),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("incidents_number_unique").on(t.number),
    // The hot path: the open list, by severity then age.
    index("incidents_open_idx")
      .on(t.severity, t.declaredAt)
      .where(sql`${t.status} not in ('resolved', 'closed')`),
    index("incidents_status_idx").on(t.status),
  ],
);

/** Who held which incident role from when to when. An open row (endedAt null) is current. */
export const incidentRoles = pgTable(
  "incident_roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    role: incidentRoleEnum("role").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    assignedBy: uuid("assigned_by").references(() => users.id),
    endedAt: timestamp("ended_at", { withTimezone: true, precision: 3 }),
    endedBy: uuid("ended_by").references(() => users.id),
    // Command handed to someone is theirs once they say so; the holder is the one who acknowledges.
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index("incident_roles_incident_idx").on(t.incidentId, t.startedAt),
    // One commander, scribe and comms lead at a time; responders may be many but not twice.
    uniqueIndex("incident_roles_single_holder")
      .on(t.incidentId, t.role)
      .where(sql`${t.endedAt} is null and ${t.role} <> 'responder'`),
    uniqueIndex("incident_roles_responder_once")
      .on(t.incidentId, t.userId)
      .where(sql`${t.endedAt} is null and ${t.role} = 'responder'`),
  ],
);

/**
 * Everything that happened in an incident, in commit order. `seq` doubles as the live stream's
 * event id. `kind` is free text so later features add kinds with their own jsonb payload
 * (lib/incidents/README.md lists them).
 */
export const timelineEvents = pgTable(
  "timeline_events",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name"),
    // When it happened (may be earlier than when someone wrote it down).
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    // Markdown for notes; a one-line description for automatic events.
    body: text("body").notNull().default(""),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    keyMoment: text("key_moment"),
    keyMomentLabel: text("key_moment_label"),
    keyMomentBy: text("key_moment_by"),
    keyMomentAt: timestamp("key_moment_at", { withTimezone: true, precision: 3 }),
    editedAt: timestamp("edited_at", { withTimezone: true, precision: 3 }),
    editedBy: text("edited_by"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("timeline_events_incident_idx").on(t.incidentId, t.seq),
    index("timeline_events_kind_idx").on(t.incidentId, t.kind),
    // The incident page reads the timeline newest first, a page at a time.
    index("timeline_events_incident_occurred_idx").on(t.incidentId, t.occurredAt, t.seq),
  ],
);

/** Every text a note has had, the original first; editing appends, never overwrites. */
export const timelineNoteRevisions = pgTable(
  "timeline_note_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    eventSeq: bigint("event_seq", { mode: "number" })
      .notNull()
      .references(() => timelineEvents.seq, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    body: text("body").notNull(),
    writtenAt: timestamp("written_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    writtenBy: text("written_by"),
    writtenByName: text("written_by_name"),
  },
  (t) => [uniqueIndex("timeline_note_revisions_unique").on(t.eventSeq, t.revision)],
);

/** Written definitions of each severity, shown where people choose one; admins edit them. */
export const sevDefinitions = pgTable("sev_definitions", {
  severity: severityEnum("severity").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  responseExpectation: text("response_expectation").notNull().default(""),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

/** The checklist an incident copies when it reaches the right moment; admins edit them. */
export const checklistTemplates = pgTable("checklist_templates", {
  kind: checklistKindEnum("kind").primaryKey(),
  title: text("title").notNull(),
  description: text("description").notNull().default(""),
  items: jsonb("items").$type<string[]>().notNull(),
  // Where the items came from: "default" now, a runbook revision once the library supplies them.
  source: text("source").notNull().default("default"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

/** A checklist copied into one incident (later template edits do not change it). */
export const incidentChecklists = pgTable(
  "incident_checklists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    kind: checklistKindEnum("kind").notNull(),
    title: text("title").notNull(),
    templateVersion: integer("template_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("incident_checklists_kind_unique").on(t.incidentId, t.kind)],
);

export const incidentChecklistItems = pgTable(
  "incident_checklist_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    checklistId: uuid("checklist_id")
      .notNull()
      .references(() => incidentChecklists.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    done: boolean("done").notNull().default(false),
    doneAt: timestamp("done_at", { withTimezone: true, precision: 3 }),
    doneBy: uuid("done_by").references(() => users.id),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("incident_checklist_items_list_idx").on(t.checklistId, t.position)],
);

export type Incident = typeof incidents.$inferSelect;
export type IncidentStatus = (typeof incidentStatusEnum.enumValues)[number];
export type Severity = (typeof severityEnum.enumValues)[number];
export type IncidentRole = (typeof incidentRoleEnum.enumValues)[number];
export type ChecklistKind = (typeof checklistKindEnum.enumValues)[number];
export type TimelineEvent = typeof timelineEvents.$inferSelect;
export type SevDefinition = typeof sevDefinitions.$inferSelect;
export type ChecklistTemplate = typeof checklistTemplates.$inferSelect;
export const incidentStatuses = incidentStatusEnum.enumValues;
export const severities = severityEnum.enumValues;
export const incidentRoleNames = incidentRoleEnum.enumValues;
export const checklistKinds = checklistKindEnum.enumValues;
