import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { validationResultEnum } from "./runbooks";

export const drillStateEnum = pgEnum("drill_state", ["running", "paused", "aborted", "completed"]);
export const drillModeEnum = pgEnum("drill_mode", ["auto", "step"]);
export const drillItemKindEnum = pgEnum("drill_item_kind", ["setup", "step", "manual", "cleanup"]);
export const drillOutcomeEnum = pgEnum("drill_outcome", ["pending", "running", "waiting", "passed", "failed", "skipped"]);
/** Who started a drill: a person in the console, the CLI (CI), or the scheduler. */
export const drillTriggerEnum = pgEnum("drill_trigger", ["person", "cli", "schedule"]);

/**
 * One validation drill: a runbook revision run against an environment. Runbook and environment
 * names are copied so the report outlives renames; ids are kept for links.
 */
export const drills = pgTable(
  "drills",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runbookId: uuid("runbook_id").notNull(),
    runbookSlug: text("runbook_slug").notNull(),
    runbookTitle: text("runbook_title").notNull(),
    revisionId: uuid("revision_id").notNull(),
    revisionNumber: integer("revision_number").notNull(),
    environmentId: uuid("environment_id").notNull(),
    environmentName: text("environment_name").notNull(),
    state: drillStateEnum("state").notNull().default("running"),
    mode: drillModeEnum("mode").notNull().default("auto"),
    /** Values given once at the start (by input name). */
    inputs: jsonb("inputs").notNull().default({}),
    /** Values captured or created while the drill ran (runs it created, slots it took, RUN_ID …). */
    variables: jsonb("variables").notNull().default({}),
    /** The drill plan (setup, cleanup, per-step bindings) exactly as used, for the report. */
    plan: jsonb("plan").notNull(),
    /** Set when the drill ends: "passed" or "failed", with a sentence why. */
    result: text("result"),
    reason: text("reason"),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedBy: text("started_by").notNull(),
    startedByName: text("started_by_name").notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    /** Which console process drives it (a drill is advanced by the process that started it). */
    runnerId: text("runner_id"),
    trigger: drillTriggerEnum("trigger").notNull().default("person"),
    /** No person follows it: manual checks are skipped with a reason instead of waiting. */
    unattended: boolean("unattended").notNull().default(false),
    /** Why the drill is paused when a person did not pause it (agent lost, driver died). */
    pauseReason: text("pause_reason"),
    /** Abort: why, as the person said it. */
    abortReason: text("abort_reason"),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("drills_runbook_idx").on(t.runbookSlug, t.startedAt), index("drills_state_idx").on(t.state)],
);

/**
 * One attempt at one item of a drill: a setup or cleanup action, a runbook step (or a part of
 * it: a subset of its commands with their own bindings), or a manual check. A retry adds a row
 * with the next attempt number; earlier attempts stay.
 */
export const drillSteps = pgTable(
  "drill_steps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    drillId: uuid("drill_id")
      .notNull()
      .references(() => drills.id, { onDelete: "cascade" }),
    /** Order of the item in the drill. */
    position: integer("position").notNull(),
    attempt: integer("attempt").notNull().default(1),
    kind: drillItemKindEnum("kind").notNull(),
    /** The runbook step id (null for drill-wide setup and cleanup). */
    stepId: text("step_id"),
    /** Command ordinals of the step this item runs (all of them when not split). */
    commands: jsonb("commands").notNull().default([]),
    title: text("title").notNull(),
    section: text("section").notNull().default(""),
    /** The text as written in the runbook, or the declared action. */
    source: text("source").notNull().default(""),
    /** Exactly what ran: HTTP requests with bodies, agent plan texts with inputs. */
    ran: jsonb("ran").notNull().default([]),
    executionId: uuid("execution_id"),
    output: text("output").notNull().default(""),
    exitCode: integer("exit_code"),
    httpStatus: integer("http_status"),
    durationMs: integer("duration_ms"),
    /** What should happen ("success", "failure" per command, and the plan's note). */
    expectation: jsonb("expectation").notNull().default({}),
    /** Per command: expected vs actual, met or not, assertion results. */
    results: jsonb("results").notNull().default([]),
    outcome: drillOutcomeEnum("outcome").notNull().default("pending"),
    reason: text("reason"),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    /** Who confirmed a manual check or skipped the item. */
    decidedBy: text("decided_by"),
    decidedByName: text("decided_by_name"),
  },
  (t) => [uniqueIndex("drill_steps_attempt_unique").on(t.drillId, t.position, t.attempt)],
);

/** The declared setup and cleanup of a runbook's drills, visible to the validator. */
export const drillPlans = pgTable(
  "drill_plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runbookSlug: text("runbook_slug").notNull(),
    plan: jsonb("plan").notNull(),
    /** "built-in" for the plans Sitrep ships for the seed runbooks, else "custom". */
    origin: text("origin").notNull().default("custom"),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [uniqueIndex("drill_plans_runbook_unique").on(t.runbookSlug)],
);

/** A validator's sign-off of a finished drill; it appends one Validation Log row to the runbook. */
export const drillSignoffs = pgTable(
  "drill_signoffs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    drillId: uuid("drill_id")
      .notNull()
      .references(() => drills.id, { onDelete: "cascade" }),
    result: validationResultEnum("result").notNull(),
    notes: text("notes").notNull().default(""),
    validationId: uuid("validation_id"),
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull().defaultNow(),
    signedBy: text("signed_by").notNull(),
    signedByName: text("signed_by_name").notNull(),
  },
  (t) => [uniqueIndex("drill_signoffs_drill_unique").on(t.drillId)],
);

/**
 * A runbook's drill schedule: when (cron syntax, "quarterly", or "every N days") and against
 * which environment. Scheduled drills run unattended and never sign themselves off. `nextRunAt`
 * is claimed by compare-and-set, so one instance of several runs each due drill.
 */
export const drillSchedules = pgTable(
  "drill_schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    runbookSlug: text("runbook_slug").notNull(),
    schedule: text("schedule").notNull().default("quarterly"),
    environmentId: uuid("environment_id").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    nextRunAt: timestamp("next_run_at", { withTimezone: true, precision: 3 }).notNull(),
    lastRunAt: timestamp("last_run_at", { withTimezone: true, precision: 3 }),
    lastDrillId: uuid("last_drill_id"),
    /** Why the last due run did not start (no revision, environment gone, leftovers …). */
    lastError: text("last_error"),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text("updated_by"),
  },
  (t) => [uniqueIndex("drill_schedules_runbook_unique").on(t.runbookSlug), index("drill_schedules_due_idx").on(t.nextRunAt).where(sql`${t.enabled}`)],
);

export type Drill = typeof drills.$inferSelect;
export type DrillSchedule = typeof drillSchedules.$inferSelect;
export type DrillStep = typeof drillSteps.$inferSelect;
export type DrillPlanRow = typeof drillPlans.$inferSelect;
export type DrillSignoff = typeof drillSignoffs.$inferSelect;
export type DrillState = (typeof drillStateEnum.enumValues)[number];
export type DrillOutcome = (typeof drillOutcomeEnum.enumValues)[number];
export type DrillItemKind = (typeof drillItemKindEnum.enumValues)[number];
