import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, isNull, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { drills, drillSignoffs, drillSteps, type Drill, type DrillStep } from "@/db/schema";
import { systemActor, type Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { requireEnvironment } from "@/lib/environments/queries";
import { requireProductionConfirmation } from "@/lib/environments/production";
import { cancelExecution } from "@/lib/executions/cancel";
import { ensureBeating, isRunnerAlive, runnerIsDead } from "@/lib/executions/runners";
import { RUNNER_ID } from "@/lib/executions/start";
import { publish } from "@/lib/live";
import { log } from "@/lib/log";
import type { ParsedRunbook } from "@/lib/runbooks/parse";
import { fromStored } from "@/lib/runbooks/parse/stored";
import { findRevision, findRunbookBySlug } from "@/lib/runbooks/store";
import { parseInput } from "@/lib/validation";
import { buildItems, type DrillItem } from "./items";
import { clearLeftovers } from "./leftovers";
import { announceFinished } from "./announce";
import { computeResult } from "./result";
import { reacquireAfterRelease } from "./release";
import { drillPlanSchema, type DrillPlan } from "./plan";
import { runItem } from "./run-item";
import { abortSchema, confirmSchema, drillRefSchema, itemRefSchema, skipSchema, startDrillSchema } from "./schemas";
import { DRILLS_CHANNEL, drillRows, findDrill, latestAttempts, planFor, variablesOf, type DrillVariables } from "./store";

// The drill engine: a drill is a list of items (see items.ts) and rows recording attempts at
// them. The process that starts (or resumes) a drill drives it: it takes the first pending item,
// runs it, records the attempt, and goes on until the list is done, a manual check waits for a
// person, the drill is paused or aborted, or (in step mode) after each item.

export const DRIVER_LOST_REASON = "The console process driving this drill stopped during this item; what happened is unknown. Retry it.";
export const UNATTENDED_SKIP = "manual check: nobody follows this drill (scheduled, or run from the CLI) to confirm it; confirm it in a drill a person follows.";

/** How a drill was started: by a person, the CLI, or the scheduler (the last two without a person following it). */
export type StartOptions = { trigger?: "person" | "cli" | "schedule"; unattended?: boolean };

const globalForDrills = globalThis as unknown as { __sitrepDrills?: Map<string, Promise<void>> };
const driving = (globalForDrills.__sitrepDrills ??= new Map());

/** Resolves when this process has stopped driving the drill (finished, waiting, paused, aborted). */
export function drillSettled(id: string): Promise<void> {
  return driving.get(id) ?? Promise.resolve();
}

async function loadContext(db: Db, drill: Drill) {
  const revision = await findRevision(db, drill.revisionId);
  if (!revision) throw new NotFoundError("The runbook revision of this drill no longer exists.");
  const parsed = fromStored(revision.parsed);
  const plan = drillPlanSchema.parse(drill.plan);
  return { parsed, plan, items: buildItems(parsed, plan) };
}

/** Inputs the drill needs from the person starting it: placeholders no binding, capture or generator fills. */
export function requiredInputs(parsed: ParsedRunbook, plan: DrillPlan, items: DrillItem[]) {
  const needed = new Map<string, { name: string; description: string; pattern: string }>();
  for (const item of items) {
    if (item.kind !== "step" || item.skip || !item.part) continue;
    const step = parsed.steps.find((s) => s.id === item.stepId);
    if (!step) continue;
    for (const c of step.commands.filter((c) => item.part!.commands.includes(c.ordinal))) {
      const literal = item.part.literal[String(c.ordinal)] ?? {};
      for (const name of c.placeholders) {
        if (name in item.part.bind || name in literal) continue;
        const def = step.placeholders.find((p) => p.name === name) ?? parsed.placeholders.find((p) => p.name === name);
        if (!def || def.providedBy) continue;
        needed.set(name, { name, description: def.description, pattern: def.pattern });
      }
    }
  }
  for (const [name, spec] of Object.entries(plan.inputs)) if (!spec.generate) needed.set(name, { name, description: spec.description, pattern: spec.pattern });
  return [...needed.values()];
}

function checkDrillInputs(parsed: ParsedRunbook, plan: DrillPlan, items: DrillItem[], given: Record<string, string>) {
  const values: Record<string, string> = {};
  const fieldErrors: Record<string, string[]> = {};
  for (const spec of requiredInputs(parsed, plan, items)) {
    const value = (given[spec.name] ?? "").trim();
    if (!value) fieldErrors[spec.name] = [`Enter ${spec.description.toLowerCase() || spec.name}.`];
    else if (!new RegExp(spec.pattern).test(value)) fieldErrors[spec.name] = [`"${value}" is not a valid ${spec.name} (expected ${spec.pattern}).`];
    else values[spec.name] = value;
  }
  for (const [name, spec] of Object.entries(plan.inputs)) {
    if (!spec.generate) continue;
    const value = (given[name] ?? "").trim() || `${spec.generate}-${randomBytes(4).toString("hex")}`;
    if (!new RegExp(spec.pattern).test(value)) fieldErrors[name] = [`"${value}" is not a valid ${name} (expected ${spec.pattern}).`];
    else values[name] = value;
  }
  // Values given for other placeholders are kept: they fill steps that capture nothing before.
  for (const [name, value] of Object.entries(given)) if (!(name in values) && value.trim() && /^[a-z][a-z0-9_]{0,62}$/.test(name)) values[name] = value.trim();
  if (Object.keys(fieldErrors).length) throw new ValidationError("Some drill inputs need attention.", fieldErrors);
  return values;
}

/** Starts a drill of the runbook's current revision against an environment. */
export async function startDrill(ctx: Ctx, input: unknown, options: StartOptions = {}): Promise<Drill> {
  requirePermission(ctx.actor, "drills.run");
  const data = parseInput(startDrillSchema, input);
  const runbook = await findRunbookBySlug(ctx.db, data.runbookSlug);
  if (!runbook) throw new NotFoundError("That runbook does not exist.");
  const revision = await findRevision(ctx.db, runbook.currentRevisionId);
  if (!revision) throw new ValidationError("This runbook has no revision yet: write or import it before drilling it.");
  const environment = await requireEnvironment(ctx.db, data.environmentId);
  requireProductionConfirmation(environment, data.confirmProduction);
  const parsed = fromStored(revision.parsed);
  const { plan } = await planFor(ctx.db, runbook.slug);
  const items = buildItems(parsed, plan);
  if (!items.some((i) => i.kind === "step" || i.kind === "manual")) throw new ValidationError("This runbook has no steps to drill.");
  const inputs = checkDrillInputs(parsed, plan, items, data.inputs);
  // Nothing the drill will create may be there already (a leftover of an earlier drill).
  await clearLeftovers(ctx, { runbook: { id: runbook.id, slug: runbook.slug, revisionId: revision.id }, environment, plan }, data.cleanLeftovers === true);

  const drill = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(drills)
      .values({
        runbookId: runbook.id,
        runbookSlug: runbook.slug,
        runbookTitle: runbook.title,
        revisionId: revision.id,
        revisionNumber: revision.number,
        environmentId: environment.id,
        environmentName: environment.name,
        mode: data.mode,
        inputs,
        variables: { values: {}, createdRuns: [] } satisfies DrillVariables,
        plan,
        startedBy: ctx.actor.userId,
        startedByName: ctx.actor.name,
        trigger: options.trigger ?? "person",
        unattended: options.unattended ?? false,
      })
      .returning();
    await tx.insert(drillSteps).values(
      items.map((item) => ({
        drillId: row.id,
        position: item.position,
        kind: item.kind,
        stepId: item.stepId,
        commands: item.commands,
        title: item.title,
        section: item.section,
        source: item.source,
        expectation: item.expectation,
        outcome: item.skip ? ("skipped" as const) : ("pending" as const),
        reason: item.skip ?? null,
        decidedByName: item.skip ? "drill plan" : null,
      })),
    );
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "drill.start",
      targetType: "drill",
      targetId: row.id,
      after: { runbook: runbook.slug, revision: revision.number, environment: environment.name, production: environment.production, mode: data.mode, inputs, items: items.length, trigger: row.trigger, unattended: row.unattended },
    });
    await publish(tx, DRILLS_CHANNEL, { type: "drill.started", id: row.id, runbook: runbook.slug });
    return row;
  });
  if (data.mode === "auto") drive(ctx.db, ctx.actor, drill.id);
  return drill;
}

async function recordAttempt(db: Db, actor: Actor, row: DrillStep, patch: Partial<DrillStep>, variables?: DrillVariables) {
  await db.transaction(async (tx) => {
    await tx.update(drillSteps).set(patch).where(eq(drillSteps.id, row.id));
    if (variables) {
      const [current] = await tx.select({ version: drills.version }).from(drills).where(eq(drills.id, row.drillId));
      await tx.update(drills).set({ variables, version: current.version + 1 }).where(eq(drills.id, row.drillId));
    }
    if (patch.outcome && patch.outcome !== "running") {
      await writeAudit(tx, {
        actor,
        action: "drill.item.finish",
        targetType: "drill",
        targetId: row.drillId,
        after: { position: row.position, attempt: row.attempt, kind: row.kind, step: row.stepId, outcome: patch.outcome, reason: patch.reason ?? null, executionId: patch.executionId ?? null },
      });
    }
    await publish(tx, DRILLS_CHANNEL, { type: "drill.item", id: row.drillId, position: row.position, outcome: patch.outcome ?? row.outcome });
  });
}

async function finish(db: Db, actor: Actor, drill: Drill, state: "completed" | "aborted") {
  const latest = latestAttempts(await drillRows(db, drill.id));
  const computed = computeResult(latest, state === "aborted");
  const reason = state === "aborted" && drill.abortReason ? `${computed.reason} Why: ${drill.abortReason}` : computed.reason;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(drills)
      .set({ state, result: computed.result, reason, finishedAt: new Date(), version: drill.version + 1, runnerId: null, pauseReason: null })
      .where(and(eq(drills.id, drill.id), eq(drills.version, drill.version)))
      .returning();
    if (!row) throw new ConflictError("The drill changed meanwhile.");
    await writeAudit(tx, { actor, action: state === "aborted" ? "drill.abort.finish" : "drill.finish", targetType: "drill", targetId: drill.id, before: { state: drill.state }, after: { state, result: row.result, reason: row.reason } });
    await announceFinished(tx, row);
    await publish(tx, DRILLS_CHANNEL, { type: "drill.finished", id: drill.id, state });
  });
}

/** Drills this process drives now. */
export function drivenHere(): string[] {
  return [...driving.keys()];
}

/** Runs the cleanup of an aborted drill whose driver died (the sweeper calls it). */
export function finishAbortedDrill(db: Db, drillId: string): Promise<void> {
  return drive(db, systemActor(), drillId, { cleanupOnly: true });
}

/**
 * Takes the drill for this process, unless a live other process drives it (one driver per drill
 * across instances); the claim and the check are one statement. False when refused.
 */
async function claimDrill(db: Db, drillId: string): Promise<boolean> {
  const dead = await runnerIsDead(db, drills.runnerId, RUNNER_ID);
  const [row] = await db
    .update(drills)
    .set({ runnerId: RUNNER_ID })
    .where(and(eq(drills.id, drillId), or(isNull(drills.runnerId), eq(drills.runnerId, RUNNER_ID), dead)))
    .returning({ id: drills.id });
  return !!row;
}

/** Drives the drill in the background of this process (one driver per drill). */
function drive(db: Db, actor: Actor, drillId: string, options: { once?: boolean; cleanupOnly?: boolean } = {}): Promise<void> {
  const existing = driving.get(drillId);
  if (existing) return existing;
  // The drill names the process driving it while it does, so a process that dies mid-item is
  // noticed by the others (orphans.ts); the mark goes when this process stops driving it.
  const run = ensureBeating(db, RUNNER_ID)
    .then(() => claimDrill(db, drillId))
    .then((claimed) => (claimed ? loop(db, actor, drillId, options) : log.warn("drills.driven_elsewhere", { drillId })))
    .catch((error) => log.error("drills.driver_crashed", { drillId, error: error instanceof Error ? error.stack : String(error) }))
    .finally(async () => {
      await db
        .update(drills)
        .set({ runnerId: null })
        .where(and(eq(drills.id, drillId), eq(drills.runnerId, RUNNER_ID)))
        .catch(() => undefined);
      driving.delete(drillId);
    });
  driving.set(drillId, run);
  return run;
}

async function loop(db: Db, actor: Actor, drillId: string, options: { once?: boolean; cleanupOnly?: boolean }) {
  let drill = await findDrill(db, drillId);
  const { parsed, plan, items } = await loadContext(db, drill);
  const environment = await requireEnvironment(db, drill.environmentId);
  const ctx: Ctx = { db, actor };
  for (;;) {
    drill = await findDrill(db, drillId);
    // Aborted from another instance while this one drove it: this one runs the cleanup.
    const aborting = options.cleanupOnly === true || (drill.state === "aborted" && !drill.finishedAt);
    if (!aborting && drill.state !== "running") return;
    const latest = latestAttempts(await drillRows(db, drillId));
    if (!aborting && latest.some((r) => r.outcome === "waiting")) return;
    const next = latest.find((r) => r.outcome === "pending" && (!aborting || r.kind === "cleanup"));
    if (!next) {
      await finish(db, actor, drill, aborting ? "aborted" : "completed");
      return;
    }
    const item = items[next.position];
    if (next.kind === "manual" && drill.unattended) {
      await recordAttempt(db, actor, next, { outcome: "skipped", reason: UNATTENDED_SKIP, decidedByName: "unattended drill", startedAt: new Date(), finishedAt: new Date() });
      continue;
    }
    if (next.kind === "manual") {
      await recordAttempt(db, actor, next, { outcome: "waiting", startedAt: new Date() });
      return;
    }
    // A step whose own setup failed is not run: its bindings would point at nothing.
    const setupFailed = item.kind === "step" && latest.some((r) => r.kind === "setup" && r.stepId === item.stepId && r.position < item.position && r.outcome === "failed");
    if (setupFailed) {
      await recordAttempt(db, actor, next, { outcome: "failed", reason: "Not run: its setup failed (see the setup item above).", startedAt: new Date(), finishedAt: new Date() });
      continue;
    }
    await recordAttempt(db, actor, next, { outcome: "running", startedAt: new Date() });
    const variables = variablesOf(drill);
    const ranSteps = new Set((await drillRows(db, drillId)).filter((r) => r.kind === "step" && r.executionId && r.stepId).map((r) => r.stepId!));
    const result = await runItem(
      {
        ctx,
        drill: { id: drill.id, runbookId: drill.runbookId, runbookSlug: drill.runbookSlug, revisionId: drill.revisionId, inputs: drill.inputs as Record<string, string> },
        parsed,
        environment,
        variables,
        resources: plan.resources,
        ranSteps,
        // The page follows the running item's output from its execution as it arrives.
        onExecution: (executionId) => void recordAttempt(db, actor, next, { executionId }).catch(() => undefined),
      },
      item,
    );
    // Aborted while the item ran: the cancelled attempt is recorded as failed by the executor.
    await recordAttempt(
      db,
      actor,
      next,
      {
        outcome: result.outcome,
        reason: result.reason,
        executionId: result.executionId ?? null,
        ran: result.ran,
        output: result.output,
        exitCode: result.exitCode ?? null,
        httpStatus: result.httpStatus ?? null,
        durationMs: result.durationMs,
        results: result.results,
        finishedAt: new Date(),
      },
      variables,
    );
    // The host agent vanished mid-item: nothing more runs against a host in an unknown state.
    if (result.lost && !aborting) {
      await pauseBecause(db, actor, drillId, `Paused at "${next.title}": ${result.reason ?? "the host agent was lost mid-item."} Check the host, then retry the item (or skip it) and resume.`, "drill.agent_lost");
      return;
    }
    if (options.once && !aborting) {
      const after = latestAttempts(await drillRows(db, drillId));
      const rest = after.find((r) => r.outcome === "pending");
      if (!rest) await finish(db, actor, await findDrill(db, drillId), "completed");
      return;
    }
  }
}

/** The drill pauses by itself (agent lost): a person sees why and decides how to go on. */
async function pauseBecause(db: Db, actor: Actor, drillId: string, reason: string, action: string) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const drill = await findDrill(db, drillId);
    if (drill.state !== "running") return;
    const changed = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(drills)
        .set({ state: "paused", pauseReason: reason, version: drill.version + 1 })
        .where(and(eq(drills.id, drill.id), eq(drills.version, drill.version)))
        .returning();
      if (!row) return false;
      await writeAudit(tx, { actor, action, targetType: "drill", targetId: drill.id, before: { state: drill.state }, after: { state: "paused", reason } });
      await publish(tx, DRILLS_CHANNEL, { type: "drill.state", id: drill.id, state: "paused" });
      return true;
    });
    if (changed) return;
  }
}

async function changeState(ctx: Ctx, drill: Drill, to: Drill["state"], action: string, extra: Partial<Drill> = {}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(drills)
      .set({ state: to, version: drill.version + 1, pauseReason: null, ...extra })
      .where(and(eq(drills.id, drill.id), eq(drills.version, drill.version)))
      .returning();
    if (!row) throw new ConflictError("The drill changed meanwhile; reload and try again.");
    await writeAudit(tx, { actor: ctx.actor, action, targetType: "drill", targetId: drill.id, before: { state: drill.state }, after: { state: to, ...extra } });
    await publish(tx, DRILLS_CHANNEL, { type: "drill.state", id: drill.id, state: to });
    return row;
  });
}

/** One driver per drill, across every console instance sharing the database. */
async function refuseIfDrivenElsewhere(db: Db, drill: Drill, busy = "The drill is already running an item."): Promise<void> {
  if (driving.has(drill.id)) throw new ConflictError(busy);
  if (drill.runnerId && (await isRunnerAlive(db, drill.runnerId, RUNNER_ID))) {
    throw new ConflictError("Another console instance is running an item of this drill; wait for it to finish.");
  }
}

/**
 * A person's pause or abort must not lose to the drill's own bookkeeping: while it runs, the
 * driver bumps the version with every captured variable. So the check and the change are
 * retried on a fresh read a few times before a conflict is reported.
 */
async function changeStateOf(ctx: Ctx, drillId: string, to: Drill["state"], action: string, check: (drill: Drill) => void, extra: Partial<Drill> = {}): Promise<Drill> {
  for (let attempt = 1; ; attempt++) {
    const drill = await findDrill(ctx.db, drillId);
    check(drill);
    try {
      return await changeState(ctx, drill, to, action, extra);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 5) throw error;
    }
  }
}

/** Stops after the item that is running now. */
export async function pauseDrill(ctx: Ctx, input: unknown): Promise<Drill> {
  requirePermission(ctx.actor, "drills.run");
  const { drillId } = parseInput(drillRefSchema, input);
  return changeStateOf(ctx, drillId, "paused", "drill.pause", (drill) => {
    if (drill.state !== "running") throw new ConflictError(`Only a running drill can be paused (this one is ${drill.state}).`);
  });
}

/** Lifts a pause; an automatic drill goes on from the first pending item. */
export async function resumeDrill(ctx: Ctx, input: unknown): Promise<Drill> {
  requirePermission(ctx.actor, "drills.run");
  const { drillId } = parseInput(drillRefSchema, input);
  const drill = await findDrill(ctx.db, drillId);
  if (drill.state !== "paused" && drill.state !== "running") throw new ConflictError(`A ${drill.state} drill cannot be resumed.`);
  await refuseIfDrivenElsewhere(ctx.db, drill);
  // Nobody drives it here: an item left "running" belonged to a console process that stopped.
  for (const r of latestAttempts(await drillRows(ctx.db, drillId))) {
    if (r.outcome === "running") {
      await recordAttempt(ctx.db, ctx.actor, r, { outcome: "failed", reason: DRIVER_LOST_REASON, finishedAt: new Date() });
    }
  }
  // What the setup held was released when the driver died: its setup runs again before the steps.
  await reacquireAfterRelease(ctx, drillId);
  const row = drill.state === "paused" ? await changeState(ctx, await findDrill(ctx.db, drillId), "running", "drill.resume") : drill;
  // In step mode resuming only lifts the pause; the person runs the next item when ready.
  if (row.mode === "auto") drive(ctx.db, ctx.actor, row.id);
  return row;
}

/** Runs the next item only (step mode, or a person driving a paused drill one item at a time). */
export async function runNextItem(ctx: Ctx, input: unknown): Promise<Drill> {
  requirePermission(ctx.actor, "drills.run");
  const { drillId } = parseInput(drillRefSchema, input);
  let drill = await findDrill(ctx.db, drillId);
  if (drill.state === "aborted" || drill.state === "completed") throw new ConflictError(`This drill is ${drill.state}.`);
  await refuseIfDrivenElsewhere(ctx.db, drill);
  if (drill.state === "paused") {
    await reacquireAfterRelease(ctx, drillId);
    drill = await changeState(ctx, await findDrill(ctx.db, drillId), "running", "drill.resume");
  }
  await ctx.db.transaction(async (tx) => {
    await writeAudit(tx, { actor: ctx.actor, action: "drill.run_next", targetType: "drill", targetId: drill.id });
  });
  drive(ctx.db, ctx.actor, drill.id, { once: true });
  return drill;
}

/** Stops the drill: cancels the running item, marks the rest not run, and still runs every cleanup item. */
export async function abortDrill(ctx: Ctx, input: unknown): Promise<Drill> {
  requirePermission(ctx.actor, "drills.run");
  const { drillId, reason } = parseInput(abortSchema, input);
  const row = await changeStateOf(
    ctx,
    drillId,
    "aborted",
    "drill.abort",
    (drill) => {
      if (drill.state === "aborted" || drill.state === "completed") throw new ConflictError(`This drill is already ${drill.state}.`);
    },
    { abortReason: reason },
  );
  const latest = latestAttempts(await drillRows(ctx.db, drillId));
  const running = latest.find((r) => r.outcome === "running" && r.executionId);
  // A step running in another console process cannot be cancelled from here: that process
  // finishes its item, sees the abort and runs the cleanup itself.
  const drivenElsewhere = !!row.runnerId && row.runnerId !== RUNNER_ID && (await isRunnerAlive(ctx.db, row.runnerId, RUNNER_ID));
  if (running?.executionId && !drivenElsewhere) await cancelExecution(ctx, { id: running.executionId }).catch((error) => log.warn("drills.abort_cancel_failed", { drillId, error: String(error) }));
  await ctx.db.transaction(async (tx) => {
    for (const r of latest) {
      if ((r.outcome === "pending" || r.outcome === "waiting") && r.kind !== "cleanup") {
        await tx.update(drillSteps).set({ outcome: "skipped", reason: `Not run: the drill was aborted by ${ctx.actor.name}.`, decidedBy: ctx.actor.userId, decidedByName: ctx.actor.name }).where(eq(drillSteps.id, r.id));
      }
    }
  });
  if (drivenElsewhere) return row;
  await driving.get(drillId);
  drive(ctx.db, ctx.actor, drillId, { cleanupOnly: true });
  return row;
}

async function latestAt(db: Db, drillId: string, position: number): Promise<DrillStep> {
  const row = latestAttempts(await drillRows(db, drillId)).find((r) => r.position === position);
  if (!row) throw new NotFoundError("That drill item does not exist.");
  return row;
}

async function insertAttempt(tx: Db, from: DrillStep, values: Partial<DrillStep>) {
  const [row] = await tx
    .insert(drillSteps)
    .values({ drillId: from.drillId, position: from.position, attempt: from.attempt + 1, kind: from.kind, stepId: from.stepId, commands: from.commands, title: from.title, section: from.section, source: from.source, expectation: from.expectation, ...values })
    .returning();
  return row;
}

/** A new attempt at a failed (or skipped) item; for a runbook step, its setup and cleanup run again too. */
export async function retryItem(ctx: Ctx, input: unknown): Promise<Drill> {
  requirePermission(ctx.actor, "drills.run");
  const { drillId, position } = parseInput(itemRefSchema, input);
  let drill = await findDrill(ctx.db, drillId);
  if (drill.state === "aborted") throw new ConflictError("An aborted drill cannot be retried; start a new one.");
  await refuseIfDrivenElsewhere(ctx.db, drill, "Wait for the running item to end.");
  const target = await latestAt(ctx.db, drillId, position);
  if (target.outcome !== "failed" && target.outcome !== "skipped") throw new ConflictError("Only a failed or skipped item can be retried.");
  const [signoff] = await ctx.db.select({ id: drillSignoffs.id }).from(drillSignoffs).where(eq(drillSignoffs.drillId, drillId));
  if (signoff) throw new ConflictError("This drill is signed off; start a new drill instead of retrying.");
  const latest = latestAttempts(await drillRows(ctx.db, drillId));
  const group = target.stepId && target.kind !== "manual" ? latest.filter((r) => r.stepId === target.stepId && r.kind !== "manual") : [target];
  drill = await ctx.db.transaction(async (tx) => {
    for (const r of group) await insertAttempt(tx, r, { outcome: "pending" });
    const [row] = await tx
      .update(drills)
      .set({ state: "running", result: null, reason: null, finishedAt: null, version: drill.version + 1 })
      .where(and(eq(drills.id, drill.id), eq(drills.version, drill.version)))
      .returning();
    if (!row) throw new ConflictError("The drill changed meanwhile; reload and try again.");
    await writeAudit(tx, { actor: ctx.actor, action: "drill.item.retry", targetType: "drill", targetId: drillId, after: { positions: group.map((r) => r.position), step: target.stepId } });
    await publish(tx, DRILLS_CHANNEL, { type: "drill.state", id: drillId, state: "running" });
    return row;
  });
  drive(ctx.db, ctx.actor, drillId, { once: drill.mode === "step" });
  return drill;
}

/** A validator skips an item that does not apply, with a reason; a failed attempt stays on record. */
export async function skipItem(ctx: Ctx, input: unknown): Promise<Drill> {
  requirePermission(ctx.actor, "drills.run");
  const { drillId, position, reason } = parseInput(skipSchema, input);
  const drill = await findDrill(ctx.db, drillId);
  if (drill.state === "aborted") throw new ConflictError("This drill was aborted.");
  const target = await latestAt(ctx.db, drillId, position);
  if (target.kind === "cleanup") throw new ValidationError("Cleanup cannot be skipped: it leaves the environment as the drill found it.");
  if (target.outcome === "running") throw new ConflictError("This item is running; abort the drill to stop it.");
  if (target.outcome === "passed" || target.outcome === "skipped") throw new ConflictError(`This item already ${target.outcome === "passed" ? "passed" : "is skipped"}.`);
  const decided = { outcome: "skipped" as const, reason, decidedBy: ctx.actor.userId, decidedByName: ctx.actor.name, finishedAt: new Date() };
  await ctx.db.transaction(async (tx) => {
    if (target.outcome === "failed") await insertAttempt(tx, target, decided);
    else await tx.update(drillSteps).set(decided).where(eq(drillSteps.id, target.id));
    if (drill.state === "completed") {
      const latest = latestAttempts(await drillRows(tx, drillId));
      const { result, reason: why } = computeResult(latest);
      await tx.update(drills).set({ result, reason: why, version: drill.version + 1 }).where(eq(drills.id, drillId));
    }
    await writeAudit(tx, { actor: ctx.actor, action: "drill.item.skip", targetType: "drill", targetId: drillId, before: { position, outcome: target.outcome }, after: { position, outcome: "skipped", reason } });
    await publish(tx, DRILLS_CHANNEL, { type: "drill.item", id: drillId, position, outcome: "skipped" });
  });
  if (drill.state === "running" && drill.mode === "auto" && !driving.has(drillId)) drive(ctx.db, ctx.actor, drillId);
  return findDrill(ctx.db, drillId);
}

/** A person confirms (or fails) a manual check. */
export async function confirmManual(ctx: Ctx, input: unknown): Promise<Drill> {
  requirePermission(ctx.actor, "drills.run");
  const { drillId, position, passed, note } = parseInput(confirmSchema, input);
  const drill = await findDrill(ctx.db, drillId);
  if (drill.state === "aborted" || drill.state === "completed") throw new ConflictError(`This drill is ${drill.state}.`);
  const target = await latestAt(ctx.db, drillId, position);
  if (target.kind !== "manual") throw new ValidationError("Only a manual check is confirmed by hand.");
  if (target.outcome !== "waiting" && target.outcome !== "pending") throw new ConflictError("This check is already decided.");
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(drillSteps)
      .set({ outcome: passed ? "passed" : "failed", reason: note ? `${passed ? "Confirmed" : "Failed"} by ${ctx.actor.name}: ${note}` : `${passed ? "Confirmed" : "Failed"} by ${ctx.actor.name}.`, decidedBy: ctx.actor.userId, decidedByName: ctx.actor.name, finishedAt: new Date() })
      .where(eq(drillSteps.id, target.id));
    await writeAudit(tx, { actor: ctx.actor, action: "drill.item.confirm", targetType: "drill", targetId: drillId, after: { position, passed, note } });
    await publish(tx, DRILLS_CHANNEL, { type: "drill.item", id: drillId, position, outcome: passed ? "passed" : "failed" });
  });
  if (drill.state === "running" && drill.mode === "auto" && !driving.has(drillId)) drive(ctx.db, ctx.actor, drillId);
  return findDrill(ctx.db, drillId);
}
