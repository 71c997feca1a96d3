import "server-only";
import { and, eq, isNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { stepExecutions } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { publish } from "@/lib/live";
import { recordRunFinished } from "./incident-link";
import { EXECUTIONS_CHANNEL } from "./output";
import { runningHere } from "./runner";
import { runnerIsDead } from "./runners";

export const RESTART_REASON =
  "The console process running this step stopped before the step finished. What happened on the target is unknown; check it before running the step again.";

/**
 * At start and then periodically: executions left `running` by a console process that is gone
 * (runners.ts) can never finish, so they become `lost` with a clear reason instead of spinning
 * forever. Those of other live instances are left alone. This process's own rows that it is not
 * running any more (its finishing write failed) are settled too, after a minute.
 */
export async function markOrphansLost(db: Db, currentRunnerId: string): Promise<number> {
  const actor = systemActor();
  const dead = await runnerIsDead(db, stepExecutions.runnerId, currentRunnerId);
  const here = runningHere();
  const abandonedHere = and(
    eq(stepExecutions.runnerId, currentRunnerId),
    here.length ? notInArray(stepExecutions.id, here) : sql`true`,
    lt(stepExecutions.startedAt, sql`now() - interval '60 seconds'`),
  );
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(stepExecutions)
      .set({ state: "lost", reason: RESTART_REASON, finishedAt: new Date() })
      .where(and(eq(stepExecutions.state, "running"), or(isNull(stepExecutions.runnerId), dead, abandonedHere)))
      .returning();
    for (const row of rows) {
      await writeAudit(tx, { actor, action: "step.execution.lost", targetType: "step_execution", targetId: row.id, after: { state: "lost", reason: RESTART_REASON } });
      if (row.incidentId) {
        await recordRunFinished(tx, actor, row.incidentId, { executionId: row.id, runbookSlug: row.runbookSlug, stepId: row.stepId, stepTitle: row.stepTitle, environmentName: row.environmentName, state: "lost", exitCode: null, httpStatus: null, reason: RESTART_REASON });
      }
      await publish(tx, EXECUTIONS_CHANNEL, { type: "execution.finished", id: row.id, state: "lost" });
    }
    return rows.length;
  });
}
