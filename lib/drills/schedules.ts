import "server-only";
import { and, asc, eq, isNotNull, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { drillSchedules, environments, runbooks, type DrillSchedule } from "@/db/schema";
import { systemActor, type Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { AppError, ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";
import { notifyRunbookOwner } from "@/lib/notifications";
import { findRunbookBySlug } from "@/lib/runbooks/store";
import { parseInput } from "@/lib/validation";
import { startDrill } from "./engine";
import { DEFAULT_SCHEDULE, parseSchedule } from "./schedule-spec";

// Drills on a schedule. Each runbook may have one schedule (when, against which environment).
// The scheduler's tick(now) starts every due drill, unattended, with an injectable clock so a
// test fires it. Several console instances tick against one database: a due schedule is claimed
// by moving its next run forward in one conditional statement (compare-and-set on next_run_at),
// so exactly one instance starts each due drill.

export const SCHEDULER_ACTOR_NAME = "Sitrep scheduler";

const saveSchema = z.object({
  runbookSlug: z.string().trim().min(1).max(200),
  schedule: z.string().trim().min(1, "Say when: quarterly, every N days, or a cron expression.").max(100).default(DEFAULT_SCHEDULE),
  environmentId: z.string().uuid("Pick an environment."),
  enabled: z.boolean().default(true),
  /** The version edited (0 when there was no schedule yet). */
  version: z.coerce.number().int().min(0).optional(),
});

export type ScheduleView = DrillSchedule & { describe: string; environmentName: string | null };

function view(row: DrillSchedule, environmentName: string | null): ScheduleView {
  let describe: string;
  try {
    describe = parseSchedule(row.schedule).describe;
  } catch {
    describe = row.schedule;
  }
  return { ...row, describe, environmentName };
}

export async function getSchedule(ctx: Ctx, runbookSlug: string): Promise<ScheduleView | null> {
  requirePermission(ctx.actor, "drills.read");
  const [row] = await ctx.db
    .select({ s: drillSchedules, environmentName: environments.name })
    .from(drillSchedules)
    .leftJoin(environments, eq(environments.id, drillSchedules.environmentId))
    .where(eq(drillSchedules.runbookSlug, runbookSlug));
  return row ? view(row.s, row.environmentName) : null;
}

export async function listSchedules(ctx: Ctx): Promise<ScheduleView[]> {
  requirePermission(ctx.actor, "drills.read");
  const rows = await ctx.db
    .select({ s: drillSchedules, environmentName: environments.name })
    .from(drillSchedules)
    .leftJoin(environments, eq(environments.id, drillSchedules.environmentId))
    .orderBy(asc(drillSchedules.nextRunAt));
  return rows.map((r) => view(r.s, r.environmentName));
}

/** Creates or changes a runbook's drill schedule (admins); the next run is computed from now. */
export async function saveSchedule(ctx: Ctx, input: unknown, now: Date = new Date()): Promise<DrillSchedule> {
  requirePermission(ctx.actor, "drills.configure");
  const data = parseInput(saveSchema, input);
  let spec;
  try {
    spec = parseSchedule(data.schedule);
  } catch (error) {
    throw new ValidationError((error as Error).message, { schedule: [(error as Error).message] });
  }
  if (!(await findRunbookBySlug(ctx.db, data.runbookSlug))) throw new NotFoundError("That runbook does not exist.");
  const [environment] = await ctx.db.select().from(environments).where(eq(environments.id, data.environmentId));
  if (!environment) throw new ValidationError("Pick an environment.", { environmentId: ["That environment does not exist."] });
  if (environment.production) throw new ValidationError("Scheduled drills run unattended, so never against a production environment.", { environmentId: ["Pick a non-production environment."] });
  const values = { schedule: spec.text, environmentId: environment.id, enabled: data.enabled, nextRunAt: spec.next(now), updatedAt: now, updatedBy: ctx.actor.email };
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(drillSchedules).where(eq(drillSchedules.runbookSlug, data.runbookSlug)).for("update");
    if (data.version !== undefined && (before?.version ?? 0) !== data.version) throw new ConflictError("Someone changed this schedule meanwhile; reload it and apply your change again.");
    let row: DrillSchedule;
    if (before) [row] = await tx.update(drillSchedules).set({ ...values, lastError: null, version: before.version + 1 }).where(eq(drillSchedules.id, before.id)).returning();
    else {
      const [inserted] = await tx.insert(drillSchedules).values({ runbookSlug: data.runbookSlug, ...values }).onConflictDoNothing().returning();
      if (!inserted) throw new ConflictError("Someone created this schedule meanwhile; reload it.");
      row = inserted;
    }
    await writeAudit(tx, { actor: ctx.actor, action: "drill.schedule.save", targetType: "drill_schedule", targetId: data.runbookSlug, before: before ? { schedule: before.schedule, environmentId: before.environmentId, enabled: before.enabled } : null, after: { schedule: row.schedule, environmentId: row.environmentId, environment: environment.name, enabled: row.enabled, nextRunAt: row.nextRunAt } });
    return row;
  });
}

/** What the schedule form offers: runbooks with text, and the environments a drill may run against unattended. */
export async function scheduleFormOptions(ctx: Ctx) {
  requirePermission(ctx.actor, "drills.configure");
  const books = await ctx.db.select({ slug: runbooks.slug, title: runbooks.title }).from(runbooks).where(isNotNull(runbooks.currentRevisionId)).orderBy(asc(runbooks.title));
  const envs = await ctx.db.select({ id: environments.id, name: environments.name }).from(environments).where(eq(environments.production, false)).orderBy(asc(environments.name));
  return { runbooks: books, environments: envs };
}

export type TickResult = { started: Array<{ runbookSlug: string; drillId: string }>; failed: Array<{ runbookSlug: string; error: string }> };

/**
 * Starts every drill due at `now`. A schedule is claimed by moving next_run_at forward in one
 * statement that only succeeds if nobody moved it first; the instance whose statement wins starts
 * the drill. A due drill that cannot start (leftovers, missing inputs, environment gone) is
 * recorded on the schedule and told to the runbook's owner.
 */
export async function tick(db: Db, now: Date, actor: Actor = { ...systemActor(), name: SCHEDULER_ACTOR_NAME, email: "scheduler@sitrep" }): Promise<TickResult> {
  const due = await db.select().from(drillSchedules).where(and(eq(drillSchedules.enabled, true), lte(drillSchedules.nextRunAt, now)));
  const result: TickResult = { started: [], failed: [] };
  for (const schedule of due) {
    let next: Date;
    try {
      next = parseSchedule(schedule.schedule).next(now);
    } catch {
      next = new Date(now.getTime() + 86_400_000);
    }
    const [claimed] = await db
      .update(drillSchedules)
      .set({ nextRunAt: next, lastRunAt: now, version: schedule.version + 1 })
      .where(and(eq(drillSchedules.id, schedule.id), eq(drillSchedules.nextRunAt, schedule.nextRunAt), eq(drillSchedules.enabled, true)))
      .returning();
    if (!claimed) continue; // another instance took it
    const ctx: Ctx = { actor, db };
    try {
      const drill = await startDrill(ctx, { runbookSlug: schedule.runbookSlug, environmentId: schedule.environmentId, mode: "auto" }, { trigger: "schedule", unattended: true });
      await db.update(drillSchedules).set({ lastDrillId: drill.id, lastError: null }).where(eq(drillSchedules.id, schedule.id));
      result.started.push({ runbookSlug: schedule.runbookSlug, drillId: drill.id });
    } catch (error) {
      const message = error instanceof AppError ? error.message : "The scheduled drill could not start; see the server log.";
      if (!(error instanceof AppError)) log.error("drills.schedule_start_failed", { runbook: schedule.runbookSlug, error: error instanceof Error ? error.stack : String(error) });
      result.failed.push({ runbookSlug: schedule.runbookSlug, error: message });
      await db.transaction(async (tx) => {
        await tx.update(drillSchedules).set({ lastError: message }).where(eq(drillSchedules.id, schedule.id));
        const runbook = await findRunbookBySlug(tx, schedule.runbookSlug);
        if (runbook) {
          const data = { runbook: { id: runbook.id, slug: runbook.slug, title: runbook.title }, error: message };
          await notifyRunbookOwner(tx, { runbookId: runbook.id, kind: "drill.scheduled.not_started", title: `Scheduled drill of "${runbook.title}" could not start`, body: message, link: `/drills/schedules/${runbook.slug}`, data });
        }
        await writeAudit(tx, { actor, action: "drill.schedule.start_failed", targetType: "drill_schedule", targetId: schedule.runbookSlug, after: { error: message } });
      });
    }
  }
  return result;
}

const globalForScheduler = globalThis as unknown as { __sitrepDrillScheduler?: boolean };
export const SCHEDULER_INTERVAL_MS = 60_000;

/** Start hook: ticks every minute with the wall clock. */
export function startDrillScheduler(getDb: () => Promise<Db>): void {
  if (globalForScheduler.__sitrepDrillScheduler) return;
  globalForScheduler.__sitrepDrillScheduler = true;
  const run = async () => {
    try {
      const { started, failed } = await tick(await getDb(), new Date());
      if (started.length || failed.length) log.info("drills.schedule_tick", { started, failed });
    } catch (error) {
      log.warn("drills.schedule_tick_failed", { error: String(error) });
    }
  };
  setInterval(run, SCHEDULER_INTERVAL_MS).unref();
  void run();
}
