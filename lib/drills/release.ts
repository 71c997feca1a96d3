import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { drills, drillSteps, type Drill, type DrillStep } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { controlApi } from "@/lib/control-api";
import { requireEnvironment } from "@/lib/environments/queries";
import { publish } from "@/lib/live";
import { log } from "@/lib/log";
import { DRILLS_CHANNEL, drillRows, findDrill, latestAttempts, variablesOf } from "./store";

// A drill whose driving process died is paused by another process (orphans.ts). Until a person
// resumes it, what its setup acquired would sit idle and block everyone else (three leased
// preview slots for 15 minutes: every other run told to wait). So the pausing process releases
// them at once — every slot held by a run the drill created, and those runs cancelled — and
// notes it on the drill; resuming runs the setup of the interrupted step again, which acquires
// them anew.

type Released = { at: string; slots: string[]; runs: string[]; errors: string[] };

/** Releases what a paused drill's setup holds on the control API; returns what it released. */
export async function releaseHeld(db: Db, actor: Actor, drill: Drill): Promise<Released> {
  const variables = variablesOf(drill);
  const released: Released = { at: new Date().toISOString(), slots: [], runs: [], errors: [] };
  if (!variables.createdRuns.length) return released;
  const environment = await requireEnvironment(db, drill.environmentId);
  const client = controlApi({ baseUrl: environment.controlBaseUrl });
  const mine = new Set(variables.createdRuns);
  try {
    for (const slot of (await client.listSlots()).slots) {
      if (slot.state !== "leased" || typeof slot.run_id !== "string" || !mine.has(slot.run_id)) continue;
      await client.releaseSlot(String(slot.slot_id), slot.run_id);
      released.slots.push(String(slot.slot_id));
    }
    if ((await client.listSlots()).slots.some((s) => s.state === "leased" && typeof s.run_id === "string" && mine.has(s.run_id))) await client.reapExpired();
  } catch (error) {
    released.errors.push(`slots: ${(error as Error).message}`);
  }
  for (const runId of variables.createdRuns) {
    try {
      await client.transition(runId, { to_status: "cancelled" });
      released.runs.push(runId);
    } catch {
      // Already finished or cancelled: nothing to release.
    }
  }
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(drills).where(eq(drills.id, drill.id));
    const v = (current.variables ?? {}) as Record<string, unknown>;
    await tx.update(drills).set({ variables: { ...v, released }, version: current.version + 1 }).where(eq(drills.id, drill.id));
    await writeAudit(tx, { actor, action: "drill.resources_released", targetType: "drill", targetId: drill.id, after: released });
    await publish(tx, DRILLS_CHANNEL, { type: "drill.state", id: drill.id, state: current.state });
  });
  if (released.errors.length) log.warn("drills.release_failed", { drillId: drill.id, errors: released.errors });
  return released;
}

/** Items of a step (or the drill-wide setup) whose setup had passed and whose cleanup had not run when the drill stopped. */
function interruptedGroups(latest: DrillStep[]): DrillStep[][] {
  const groups = new Map<string, DrillStep[]>();
  for (const r of latest) {
    if (r.kind === "manual") continue;
    const key = r.stepId ?? (r.kind === "setup" ? "drill-setup" : "drill-cleanup");
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: DrillStep[][] = [];
  for (const [key, rows] of groups) {
    const setupRan = rows.some((r) => r.kind === "setup" && r.outcome === "passed");
    if (!setupRan) continue;
    if (key === "drill-setup") {
      const cleanupDone = (groups.get("drill-cleanup") ?? []).every((r) => r.outcome !== "pending");
      if (!cleanupDone) out.push(rows);
      continue;
    }
    if (rows.some((r) => r.kind === "cleanup" && r.outcome === "pending")) out.push(rows);
  }
  return out;
}

/**
 * On resume after a release: the interrupted steps run again from their setup (new attempts; the
 * earlier ones stay on record), so what was released is acquired anew before the step goes on.
 */
export async function reacquireAfterRelease(ctx: Ctx, drillId: string): Promise<void> {
  const drill = await findDrill(ctx.db, drillId);
  const v = (drill.variables ?? {}) as { released?: Released };
  if (!v.released) return;
  const groups = interruptedGroups(latestAttempts(await drillRows(ctx.db, drillId)));
  await ctx.db.transaction(async (tx) => {
    for (const rows of groups) {
      for (const from of rows) {
        await tx.insert(drillSteps).values({ drillId, position: from.position, attempt: from.attempt + 1, kind: from.kind, stepId: from.stepId, commands: from.commands, title: from.title, section: from.section, source: from.source, expectation: from.expectation, outcome: "pending" });
      }
    }
    const { released: _released, ...rest } = v as Record<string, unknown>;
    const [current] = await tx.select({ version: drills.version }).from(drills).where(eq(drills.id, drillId));
    await tx.update(drills).set({ variables: rest, version: current.version + 1 }).where(eq(drills.id, drillId));
    await writeAudit(tx, { actor: ctx.actor, action: "drill.resources_reacquire", targetType: "drill", targetId: drillId, after: { released: v.released, rerun: groups.map((g) => g.map((r) => r.position)) } });
  });
}
