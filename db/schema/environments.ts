import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, bigserial } from "drizzle-orm/pg-core";

export const environmentKindEnum = pgEnum("environment_kind", ["reference", "drill", "staging", "production"]);
export const surfaceStateEnum = pgEnum("surface_state", ["unknown", "up", "down"]);

/** A set of systems steps run against: a control API, a runtime API, host agents and surfaces. */
export const environments = pgTable(
  "environments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    kind: environmentKindEnum("kind").notNull(),
    description: text("description").notNull().default(""),
    controlBaseUrl: text("control_base_url").notNull(),
    runtimeBaseUrl: text("runtime_base_url").notNull(),
    // Every action against a production environment needs an explicit confirmation.
    production: boolean("production").notNull().default(false),
    // Server-side secrets: never sent to a browser.
    runtimeToken: text("runtime_token"),
    faultToken: text("fault_token"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [uniqueIndex("environments_name_unique").on(t.name)],
);

/** A surface of an environment (seed 001's startup matrix) and its latest health check. */
export const environmentSurfaces = pgTable(
  "environment_surfaces",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    unit: text("unit"),
    command: text("command"),
    port: integer("port"),
    healthUrl: text("health_url").notNull(),
    hostHeader: text("host_header"),
    // The surface's own id in its environment (what its fault switches call it), when it has one.
    key: text("key"),
    // Ports runbooks use for this surface (seed 001 calls preview-1 on 3101): a runbook URL on one
    // of them is sent to this surface, wherever it really listens.
    runbookPorts: integer("runbook_ports").array().notNull().default(sql`'{}'::integer[]`),
    group: text("group").notNull().default("services"),
    position: integer("position").notNull().default(0),
    state: surfaceStateEnum("state").notNull().default("unknown"),
    lastStatus: integer("last_status"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    lastChangeAt: timestamp("last_change_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("environment_surfaces_name_unique").on(t.environmentId, t.name)],
);

/** One row per health state change of a surface (not per poll), for the board's history. */
export const surfaceHealthChanges = pgTable(
  "surface_health_changes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    surfaceId: uuid("surface_id")
      .notNull()
      .references(() => environmentSurfaces.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    from: surfaceStateEnum("from").notNull(),
    to: surfaceStateEnum("to").notNull(),
    httpStatus: integer("http_status"),
    latencyMs: integer("latency_ms"),
    error: text("error"),
  },
  (t) => [index("surface_health_changes_surface_idx").on(t.surfaceId, t.at)],
);

/** A host agent the console sends shell steps to. The secret never leaves the server. */
export const agents = pgTable(
  "agents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    environmentId: uuid("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    url: text("url").notNull(),
    /** The identity the agent knows this console by (sent with every signed request). */
    agentKey: text("agent_key").notNull(),
    secret: text("secret").notNull(),
    allowlistSummary: jsonb("allowlist_summary"),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    lastError: text("last_error"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdBy: text("created_by"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("agents_name_unique").on(t.environmentId, t.name)],
);

export type Environment = typeof environments.$inferSelect;
export type EnvironmentKind = (typeof environmentKindEnum.enumValues)[number];
export type EnvironmentSurface = typeof environmentSurfaces.$inferSelect;
export type SurfaceState = (typeof surfaceStateEnum.enumValues)[number];
export type Agent = typeof agents.$inferSelect;
