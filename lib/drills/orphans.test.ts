import { spawnSync } from "node:child_process";
import os from "node:os";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, consoleRunners, drills, drillSteps, stepExecutions } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { beat, ensureBeating, markOrphansLost, RUNNER_ID } from "@/lib/executions";
import { RUNNER_NAMESPACE } from "@/lib/executions/runners";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { DRIVER_LOST_REASON, resumeDrill } from "./engine";
import { pauseOrphanedDrills } from "./orphans";

// Console processes beat; work of a process that stopped beating (or whose pid is gone in this
// boot and pid namespace) is settled: executions become lost, drills pause with the running item
// failed. Work of a live other instance is left alone, also right after a database outage. Rows
// are fixtures in the shapes the executor and the drill engine store; their own tests run them.
let t: TestDatabase;
let actor: Actor;
const environmentId = crypto.randomUUID();

/** This process has beaten without a gap long enough to judge others by their heartbeat. */
const judgeable = () => t.db.update(consoleRunners).set({ beatingSince: new Date(Date.now() - 60_000) }).where(eq(consoleRunners.id, RUNNER_ID));
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  t = await createTestDb();
  actor = (await makeUser(t.db, { role: "responder" })).actor;
  await beat(t.db, RUNNER_ID);
  await judgeable();
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
    .values({ runbookSlug: "r", stepId: "s", kind: "shell", source: "sleep 60", ran: [], environmentId, environmentName: "ref", startedBy: actor.userId, startedByEmail: actor.email, runnerId })
    .returning();
  return row.id;
}
const stateOf = async (id: string) => (await t.db.select().from(stepExecutions).where(eq(stepExecutions.id, id)))[0].state;

describe("executions of other console processes", () => {
  it("are left alone while their process beats, and lost once it stops", async () => {
    await t.db.insert(consoleRunners).values({ id: "other-instance", host: "other-host", namespace: "elsewhere", pid: 1 });
    const other = await runningExecution("other-instance");
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(other)).toBe("running");

    await t.db.update(consoleRunners).set({ heartbeatAt: ago(60_000) }).where(eq(consoleRunners.id, "other-instance"));
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(other)).toBe("lost");
  });

  it("are not judged by their heartbeat by a process just back from a database outage", async () => {
    await t.db.insert(consoleRunners).values({ id: "also-in-the-outage", host: "other-host", namespace: "elsewhere", pid: 1, heartbeatAt: ago(60_000) });
    const theirs = await runningExecution("also-in-the-outage");
    // Our own beats failed during the outage too: the first beat after it starts the count again.
    await t.db.update(consoleRunners).set({ heartbeatAt: ago(60_000) }).where(eq(consoleRunners.id, RUNNER_ID));
    await beat(t.db, RUNNER_ID);
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(theirs)).toBe("running");
    // They never came back within a full stale period of our beating: now they are dead.
    await judgeable();
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(theirs)).toBe("lost");
  });

  it("are lost at once when their process in this namespace is gone (a restart); a pid elsewhere means nothing", async () => {
    await t.db.insert(consoleRunners).values({ id: "before-restart", host: os.hostname(), namespace: RUNNER_NAMESPACE, pid: deadPid() });
    await t.db.insert(consoleRunners).values({ id: "other-container", host: os.hostname(), namespace: "another-pid-namespace", pid: deadPid() });
    const restarted = await runningExecution("before-restart");
    const container = await runningExecution("other-container");
    const unknown = await runningExecution("never-beat");
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(restarted)).toBe(RUNNER_NAMESPACE ? "lost" : "running");
    expect(await stateOf(container)).toBe("running");
    expect(await stateOf(unknown)).toBe("lost");
  });

  it("this process's own, left running by a failed finishing write, are settled after a minute", async () => {
    const mine = await runningExecution(RUNNER_ID);
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(mine)).toBe("running");
    await t.db.update(stepExecutions).set({ startedAt: ago(120_000) }).where(eq(stepExecutions.id, mine));
    await markOrphansLost(t.db, RUNNER_ID);
    expect(await stateOf(mine)).toBe("lost");
  });
});

describe("a process that runs work", () => {
  it("beats while it does (the CLI too), so others do not take its work for orphaned", async () => {
    const other = await createTestDb();
    try {
      await ensureBeating(other.db, RUNNER_ID);
      const [me] = await other.db.select().from(consoleRunners).where(eq(consoleRunners.id, RUNNER_ID));
      expect(me).toMatchObject({ host: os.hostname(), pid: process.pid, namespace: RUNNER_NAMESPACE });
    } finally {
      await other.cleanup();
    }
  });
});

describe("drills whose driving process is gone", () => {
  async function drivenDrill(runnerId: string, state: "running" | "aborted" = "running") {
    const [drill] = await t.db
      .insert(drills)
      .values({ runbookId: crypto.randomUUID(), runbookSlug: "r", runbookTitle: "R", revisionId: crypto.randomUUID(), revisionNumber: 1, environmentId, environmentName: "ref", plan: {}, startedBy: actor.userId, startedByName: "Responder", runnerId, state })
      .returning();
    await t.db.insert(drillSteps).values([
      { drillId: drill.id, position: 0, kind: "step", title: "Check", outcome: "passed" },
      { drillId: drill.id, position: 1, kind: "step", title: "Restart", outcome: "running", startedAt: new Date() },
      { drillId: drill.id, position: 2, kind: "cleanup", title: "Release slots", outcome: "pending" },
    ]);
    return drill.id;
  }

  it("pause, with the item that was running failed and the reason said; audited; one driver across instances", async () => {
    await t.db.insert(consoleRunners).values({ id: "crashed", host: "gone-host", namespace: "elsewhere", pid: 1, heartbeatAt: ago(60_000) });
    const orphan = await drivenDrill("crashed");
    await t.db.insert(consoleRunners).values({ id: "busy-elsewhere", host: "other-host", namespace: "elsewhere", pid: 1 });
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
    await expect(resumeDrill({ actor, db: t.db }, { drillId: elsewhere })).rejects.toThrow(/Another console instance is running an item of this drill/);
  });

  it("an aborted drill whose driver died in its cleanup stays aborted and is released for the cleanup to finish", async () => {
    const orphan = await drivenDrill("crashed", "aborted");
    expect(await pauseOrphanedDrills(t.db, RUNNER_ID)).toBe(1);
    const [drill] = await t.db.select().from(drills).where(eq(drills.id, orphan));
    expect(drill.state).toBe("aborted");
    const steps = await t.db.select().from(drillSteps).where(eq(drillSteps.drillId, orphan)).orderBy(drillSteps.position);
    expect(steps[1]).toMatchObject({ outcome: "failed", reason: DRIVER_LOST_REASON });
  });
});
