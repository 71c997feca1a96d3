import "server-only";
import { and, eq, isNotNull, notInArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getDb } from "@/db/client";
import { drills, drillSteps } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { beat, forgetOldRunners, HEARTBEAT_MS, markOrphansLost, runnerIsDead, RUNNER_ID } from "@/lib/executions";
import { publish } from "@/lib/live";
import { log } from "@/lib/log";
import { DRIVER_LOST_REASON, drivenHere, finishAbortedDrill } from "./engine";
import { releaseHeld } from "./release";
import { DRILLS_CHANNEL, findDrill } from "./store";

/**
 * Drills whose driving process is gone: the item it was running failed with a clear reason and
 * the drill pauses, so a person sees it stopped and resumes it (from any instance). An aborted
 * drill whose driver died during its cleanup gets the cleanup finished by this process. Drills
 * marked as driven here that this process no longer drives are released.
 */
export async function pauseOrphanedDrills(db: Db, currentRunnerId: string): Promise<number> {
  const dead = await runnerIsDead(db, drills.runnerId, currentRunnerId);
  const here = drivenHere();
  const abandonedHere = and(eq(drills.runnerId, currentRunnerId), here.length ? notInArray(drills.id, here) : sql`true`);
  const orphans = await db.select().from(drills).where(and(isNotNull(drills.runnerId), or(dead, abandonedHere)));
  const actor = systemActor();
  let settled = 0;
  for (const drill of orphans) {
    const finishing = drill.state === "aborted" && !drill.finishedAt;
    const changed = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(drills)
        .set({
          runnerId: null,
          state: drill.state === "running" ? "paused" : drill.state,
          pauseReason: drill.state === "running" ? "The console process driving this drill stopped. What its setup held (preview slots, runs) was released; resuming runs the interrupted step again from its setup." : drill.pauseReason,
          version: drill.version + 1,
        })
        .where(and(eq(drills.id, drill.id), eq(drills.version, drill.version)))
        .returning();
      if (!row) return false;
      const failed = await tx
        .update(drillSteps)
        .set({ outcome: "failed", reason: DRIVER_LOST_REASON, finishedAt: new Date() })
        .where(and(eq(drillSteps.drillId, drill.id), eq(drillSteps.outcome, "running")))
        .returning({ id: drillSteps.id });
      await writeAudit(tx, { actor, action: "drill.driver_lost", targetType: "drill", targetId: drill.id, before: { state: drill.state, runnerId: drill.runnerId }, after: { state: row.state, failedItems: failed.length } });
      await publish(tx, DRILLS_CHANNEL, { type: "drill.state", id: drill.id, state: row.state });
      return true;
    });
    if (!changed) continue;
    settled++;
    if (finishing) void finishAbortedDrill(db, drill.id);
    // Slots and runs the dead driver's setup took would block every other run until someone came.
    else if (drill.state === "running" || drill.state === "paused") await releaseHeld(db, actor, await findDrill(db, drill.id)).catch((error) => log.warn("drills.release_failed", { drillId: drill.id, error: String(error) }));
  }
  return settled;
}

const globalForSweeper = globalThis as unknown as { __sitrepRunnerSweeper?: boolean };

/**
 * Start hook: this process beats, and every beat settles the work of processes that stopped
 * beating (their executions become lost, their drills pause). The first sweep runs at once, so a
 * restarted console settles what its previous life left behind.
 */
export function startRunnerSweeper(): void {
  if (globalForSweeper.__sitrepRunnerSweeper) return;
  globalForSweeper.__sitrepRunnerSweeper = true;
  const sweep = async () => {
    try {
      const db = await getDb();
      await beat(db, RUNNER_ID);
      const lost = await markOrphansLost(db, RUNNER_ID);
      const paused = await pauseOrphanedDrills(db, RUNNER_ID);
      if (lost || paused) log.warn("runners.orphans_settled", { executionsLost: lost, drillsPaused: paused });
      await forgetOldRunners(db);
    } catch (error) {
      log.warn("runners.sweep_failed", { error: String(error) });
    }
  };
  void sweep();
  setInterval(sweep, HEARTBEAT_MS).unref();
}
