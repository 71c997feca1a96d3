import { spawnSync } from "node:child_process";
import os from "node:os";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, consoleRunners, drills, drillSteps, stepExecutions } from "@/db/schema";
import { beat, markOrphansLost, RUNNER_ID } from "@/lib/executions";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import type { Actor } from "@/lib/actor";
import { DRIVER_LOST_REASON, resumeDrill } from "./engine";
import { pauseOrphanedDrills } from "./orphans";

// Console processes beat; work of a process that stopped beating (or whose pid is gone on this
// host) is settled: executions become lost, drills pause with the running item failed. Work of a
// live other instance is left alone. Rows are fixtures in the shapes the executor and the drill
// engine store; their own tests run them for real.
let t: TestDatabase;
let actor: Actor;
let userId: string;
let email: string;
const environmentId = crypto.randomUUID();

beforeAll(async () => {
  t = await createTestDb();
  actor = (await makeUser(t.db, { role: "responder" })).actor;
  ({ userId, email } = actor);
  await beat(t.db, RUNNER_ID);
});
afterAll(async () => {
  await t?.cleanup();
});

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid!;
}

async function runningExecution(runnerId: string) {
  const [row] = await t.db
    .insert(stepExecutions)
    .values({ runbookSlug: "r", stepId: "s", kind: "shell", source: "sleep 60", ran: [], environmentId, environmentName: "ref", startedBy: userId, startedByEmail: email, runnerId })
    .returning();
  return row.id;
}
const stateOf = async (id: string) => (await t.db.select().from(stepExecutions).where(eq(stepExecutions.id, id)))[0].state;

describe("executions of other console processes", () => {
  it("are left alone while their process beats, and lost once it stops", async () => {
    await t.db.insert(consoleRunners).values({ id: "other-instance", host: "other-host", pid: 1 });
    const other = await runningExecution("other-instance");
    const mine = await runningExecution(RUNNER_ID);
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(other)).toBe("running");
    expect(await stateOf(mine)).toBe("running");

    await t.db.update(consoleRunners).set({ heartbeatAt: new Date(Date.now() - 60_000) }).where(eq(consoleRunners.id, "other-instance"));
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(other)).toBe("lost");
    expect(await stateOf(mine)).toBe("running");
    await t.db.update(stepExecutions).set({ state: "cancelled" }).where(eq(stepExecutions.id, mine));
  });

  it("are lost at once when their process on this host is gone (a restart), heartbeat or not", async () => {
    await t.db.insert(consoleRunners).values({ id: "before-restart", host: os.hostname(), pid: deadPid() });
    const id = await runningExecution("before-restart");
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(id)).toBe("lost");
  });
});

describe("a process that runs work", () => {
  it("beats while it does (the CLI too), so others do not take its work for orphaned", async () => {
    const { ensureBeating } = await import("@/lib/executions/runners");
    await t.db.delete(consoleRunners).where(eq(consoleRunners.id, RUNNER_ID));
    await ensureBeating(t.db, RUNNER_ID);
    const [me] = await t.db.select().from(consoleRunners).where(eq(consoleRunners.id, RUNNER_ID));
    expect(me).toMatchObject({ host: os.hostname(), pid: process.pid });
  });
});

describe("drills whose driving process is gone", () => {
  async function drivenDrill(runnerId: string) {
    const [drill] = await t.db
      .insert(drills)
      .values({ runbookId: crypto.randomUUID(), runbookSlug: "r", runbookTitle: "R", revisionId: crypto.randomUUID(), revisionNumber: 1, environmentId, environmentName: "ref", plan: {}, startedBy: userId, startedByName: "Responder", runnerId })
      .returning();
    await t.db.insert(drillSteps).values([
      { drillId: drill.id, position: 0, kind: "step", title: "Check", outcome: "passed" },
      { drillId: drill.id, position: 1, kind: "step", title: "Restart", outcome: "running", startedAt: new Date() },
      { drillId: drill.id, position: 2, kind: "cleanup", title: "Release slots", outcome: "pending" },
    ]);
    return drill.id;
  }

  it("pause, with the item that was running failed and the reason said; audited", async () => {
    await t.db.insert(consoleRunners).values({ id: "crashed", host: os.hostname(), pid: deadPid() });
    const orphan = await drivenDrill("crashed");
    await t.db.insert(consoleRunners).values({ id: "busy-elsewhere", host: "other-host", pid: 1 });
    const elsewhere = await drivenDrill("busy-elsewhere");

    expect(await pauseOrphanedDrills(t.db, RUNNER_ID)).toBe(1);
    const [drill] = await t.db.select().from(drills).where(eq(drills.id, orphan));
    expect(drill).toMatchObject({ state: "paused", runnerId: null });
    const steps = await t.db.select().from(drillSteps).where(eq(drillSteps.drillId, orphan)).orderBy(drillSteps.position);
    expect(steps.map((s) => s.outcome)).toEqual(["passed", "failed", "pending"]);
    expect(steps[1].reason).toBe(DRIVER_LOST_REASON);
    const audit = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, "drill.driver_lost"), eq(auditEntries.targetId, orphan)));
    expect(audit).toHaveLength(1);

    const [untouched] = await t.db.select().from(drills).where(eq(drills.id, elsewhere));
    expect(untouched).toMatchObject({ state: "running", runnerId: "busy-elsewhere" });
    // One driver per drill across instances: resuming here while the other one drives is refused.
    await expect(resumeDrill({ actor, db: t.db }, { drillId: elsewhere })).rejects.toThrow(/Another console instance is running an item of this drill/);
  });
});
