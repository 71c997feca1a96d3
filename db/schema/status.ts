import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { environmentSurfaces } from "./environments";
import { incidents, severityEnum } from "./incidents";

// The stakeholder status page. Everything public is copied into status_snapshots on publish;
// the public routes read only that projection, never the tables behind it.

export const componentStateEnum = pgEnum("component_state", ["operational", "degraded", "partial_outage", "major_outage", "maintenance"]);
export const publicUpdateStatusEnum = pgEnum("public_update_status", ["investigating", "identified", "monitoring", "resolved"]);
export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", ["pending", "delivered", "failed"]);

/** One row (id 1): how the page is titled, who may see it, which environments feed it. */
export const statusSettings = pgTable("status_settings", {
  id: integer("id").primaryKey().default(1),
  title: text("title").notNull().default("Service status"),
  description: text("description").notNull().default(""),
  requireSignIn: boolean("require_sign_in").notNull().default(false),
  environmentIds: jsonb("environment_ids").$type<string[]>().notNull().default([]),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

/** A public name for an environment surface (or for something with no surface), grouped. */
export const statusComponents = pgTable(
  "status_components",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    groupName: text("group_name").notNull().default("Services"),
    position: integer("position").notNull().default(0),
    surfaceId: uuid("surface_id").references(() => environmentSurfaces.id, { onDelete: "set null" }),
    // The last published state; only a person changes it.
    state: componentStateEnum("state").notNull().default("operational"),
    stateChangedAt: timestamp("state_changed_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by"),
  },
  (t) => [uniqueIndex("status_components_name_unique").on(t.name)],
);

/** Every published state of a component: the uptime history is derived from these rows. */
export const statusComponentStates = pgTable(
  "status_component_states",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    componentId: uuid("component_id")
      .notNull()
      .references(() => statusComponents.id, { onDelete: "cascade" }),
    fromState: componentStateEnum("from_state").notNull(),
    state: componentStateEnum("state").notNull(),
    incidentId: uuid("incident_id").references(() => incidents.id, { onDelete: "set null" }),
    updateId: uuid("update_id"),
    publishedAt: timestamp("published_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    publishedBy: text("published_by").notNull(),
  },
  (t) => [index("status_component_states_component_idx").on(t.componentId, t.publishedAt)],
);

export type AffectedComponent = { componentId: string; state: (typeof componentStateEnum.enumValues)[number] };

/** A stakeholder update on an incident: a draft until someone publishes it. */
export const publicUpdates = pgTable(
  "public_updates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    // The incident's public headline; the internal title never leaves the console.
    title: text("title").notNull(),
    status: publicUpdateStatusEnum("status").notNull(),
    message: text("message").notNull(),
    components: jsonb("components").$type<AffectedComponent[]>().notNull().default([]),
    draft: boolean("draft").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true, precision: 3 }),
    publishedBy: text("published_by"),
    // A published update's text can be corrected (the page says so; the audit keeps the original)
    // or retracted (the page keeps a notice in its place, without the text).
    correctedAt: timestamp("corrected_at", { withTimezone: true, precision: 3 }),
    correctedBy: text("corrected_by"),
    retractedAt: timestamp("retracted_at", { withTimezone: true, precision: 3 }),
    retractedBy: text("retracted_by"),
    retractionReason: text("retraction_reason"),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("public_updates_incident_idx").on(t.incidentId, t.createdAt),
    index("public_updates_published_idx").on(t.publishedAt).where(sql`${t.draft} = false`),
  ],
);

/** Text to start an update from, per severity and status; admins edit them. */
export const statusTemplates = pgTable(
  "status_templates",
  {
    severity: severityEnum("severity").notNull(),
    status: publicUpdateStatusEnum("status").notNull(),
    body: text("body").notNull(),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [uniqueIndex("status_templates_key").on(t.severity, t.status)],
);

/** How often the comms lead owes stakeholders an update, per severity (null: no reminder). */
export const statusReminderCadences = pgTable("status_reminder_cadences", {
  severity: severityEnum("severity").primaryKey(),
  minutes: integer("minutes"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

export const maintenanceWindows = pgTable(
  "maintenance_windows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    message: text("message").notNull().default(""),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    componentIds: jsonb("component_ids").$type<string[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelledBy: text("cancelled_by"),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("maintenance_windows_time_idx").on(t.endsAt)],
);

/** Someone who wants every public change POSTed to them, signed with their secret. */
export const webhookSubscribers = pgTable("webhook_subscribers", {
  id: uuid("id").primaryKey().defaultRandom(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  // Server-side only: signs payloads; never sent back to a browser after creation.
  secret: text("secret").notNull(),
  active: boolean("active").notNull().default(true),
  /** What it receives: "status" (public status changes) and/or "drills" (scheduled drill outcomes). */
  topics: jsonb("topics").$type<string[]>().notNull().default(["status"]),
  version: integer("version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  createdBy: text("created_by"),
});

/** One event for one subscriber, retried with backoff until delivered or out of attempts. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subscriberId: uuid("subscriber_id")
      .notNull()
      .references(() => webhookSubscribers.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    // The exact bytes sent (and signed).
    body: text("body").notNull(),
    status: webhookDeliveryStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    responseCode: integer("response_code"),
    error: text("error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, precision: 3 }),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true, precision: 3 }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_subscriber_idx").on(t.subscriberId, t.createdAt),
  ],
);

/** Every attempt, for the delivery log. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    responseCode: integer("response_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt)],
);

/** The public projection: the only thing /status, its feeds and its webhooks are built from. */
export const statusSnapshots = pgTable("status_snapshots", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  body: jsonb("body").notNull(),
});

export type ComponentState = (typeof componentStateEnum.enumValues)[number];
export type PublicUpdateStatus = (typeof publicUpdateStatusEnum.enumValues)[number];
export type StatusComponent = typeof statusComponents.$inferSelect;
export type PublicUpdate = typeof publicUpdates.$inferSelect;
export type MaintenanceWindow = typeof maintenanceWindows.$inferSelect;
export type WebhookSubscriber = typeof webhookSubscribers.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export const componentStates = componentStateEnum.enumValues;
export const publicUpdateStatuses = publicUpdateStatusEnum.enumValues;
