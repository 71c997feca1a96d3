import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { incidents } from "./incidents";

export const executionStateEnum = pgEnum("execution_state", ["running", "succeeded", "failed", "lost", "cancelled"]);
export const executionKindEnum = pgEnum("execution_kind", ["http", "shell", "mixed"]);

/**
 * One run of one runbook step against one environment: who, what exactly ran, where, with which
 * inputs, what came back. Runbook ids are kept as text so history outlives a deleted runbook.
 */
export const stepExecutions = pgTable(
  "step_executions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runbookId: text("runbook_id"),
    runbookSlug: text("runbook_slug").notNull(),
    revisionId: text("revision_id"),
    stepId: text("step_id").notNull(),
    stepTitle: text("step_title").notNull().default(""),
    kind: executionKindEnum("kind").notNull(),
    /** The step's source as written in the runbook. */
    source: text("source").notNull(),
    /** Exactly what ran: per command, the HTTP request or the agent plan text. */
    ran: jsonb("ran").notNull(),
    environmentId: uuid("environment_id").notNull(),
    environmentName: text("environment_name").notNull(),
    agentId: uuid("agent_id"),
    host: text("host"),
    inputs: jsonb("inputs").notNull().default({}),
    captures: jsonb("captures").notNull().default({}),
    /** Per-command outcome: exit code or HTTP status, expectation, duration. */
    results: jsonb("results").notNull().default([]),
    exitCode: integer("exit_code"),
    httpStatus: integer("http_status"),
    expectationMet: boolean("expectation_met"),
    state: executionStateEnum("state").notNull().default("running"),
    reason: text("reason"),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedBy: text("started_by").notNull(),
    startedByEmail: text("started_by_email").notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    durationMs: integer("duration_ms"),
    /** Which console process runs it: a restarted process marks its own leftovers lost. */
    runnerId: text("runner_id"),
    /** The incident this run was for, when the person running it said so. */
    incidentId: uuid("incident_id").references(() => incidents.id),
  },
  (t) => [
    index("step_executions_runbook_idx").on(t.runbookSlug, t.startedAt),
    index("step_executions_incident_idx").on(t.incidentId).where(sql`incident_id is not null`),
    index("step_executions_running_idx").on(t.state).where(sql`state = 'running'`),
  ],
);

/** Output as it arrived, persisted chunk by chunk so every tab can follow a running step. */
export const executionChunks = pgTable(
  "execution_chunks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    executionId: uuid("execution_id")
      .notNull()
      .references(() => stepExecutions.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    stream: text("stream").notNull(),
    text: text("text").notNull(),
    at: timestamp("at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("execution_chunks_seq_unique").on(t.executionId, t.seq)],
);

export type StepExecution = typeof stepExecutions.$inferSelect;
export type ExecutionState = (typeof executionStateEnum.enumValues)[number];
export type ExecutionChunk = typeof executionChunks.$inferSelect;

/**
 * Console processes that run steps and drive drills, each with a heartbeat. Work whose process
 * stopped beating is orphaned: its executions become lost, its drills pause. Several console
 * instances can share one database this way without marking each other's work lost.
 */
export const consoleRunners = pgTable("console_runners", {
  id: text("id").primaryKey(),
  host: text("host").notNull(),
  /** Boot and pid namespace of the process: only within the same one does its pid mean anything. */
  namespace: text("namespace").notNull().default(""),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  /** Since when it has beaten without a gap: a process back from an outage judges no one at once. */
  beatingSince: timestamp("beating_since", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});
