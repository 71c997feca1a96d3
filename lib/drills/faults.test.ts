import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTestAllowlist } from "@/agent/testing";
import { drills } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { registerReference } from "@/lib/environments/reference";
import { beat, markOrphansLost, RUNNER_ID } from "@/lib/executions";
import { importRunbooks } from "@/lib/runbooks";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { referenceRegistration, scriptEnv, startRefenv, type Refenv } from "@/refenv/index";
import { drillSettled, getDrillReport, resumeDrill, saveDrillPlan, startDrill } from "./index";
import { pauseOrphanedDrills } from "./orphans";
import { DRILL_AGENT_SECRET, startDrillStack, type DrillStack } from "./testing";

// Faults mid-drill, with real processes killed: the host agent (its own process) dies during a
// step, and the process driving a drill (the real CLI, sharing a PostgreSQL database with this
// test) is killed while its setup holds preview slots. Neither touches the seeds' host resources.

const SLEEPY = `# Sleepy drill

## Wait

\`\`\`bash
sleep 8
\`\`\`

## Check

\`\`\`bash
./scripts/runtime-health-check.sh
\`\`\`
`;
const allowSleep = (json: { programs: unknown[] }) => json.programs.push({ name: "sleep", positional: [{ pattern: "^[0-9]{1,2}$" }], minPositional: 1 });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(100);
  }
}

describe("the host agent dies mid-step", () => {
  let t: TestDatabase;
  let refenv: Refenv;
  let agent: ChildProcess;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-drill-agent-dies-"));
    refenv = await startRefenv({ basePort: 0, adminToken: "faults-admin", stateDir: dir, tickMs: 100 });
    agent = spawn(process.execPath, ["--import", "tsx", path.resolve(process.cwd(), "agent/main.ts")], {
      env: { ...process.env, ...scriptEnv(refenv), SITREP_AGENT_ID: "dying-host", SITREP_AGENT_SECRET: DRILL_AGENT_SECRET, SITREP_AGENT_PORT: "0", SITREP_AGENT_ALLOWLIST: writeTestAllowlist(dir, allowSleep), SITREP_REFENV_STATE: dir },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = "";
      agent.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const line = buffer.split("\n").find((l) => l.includes('"agent.started"'));
        if (line) resolve(JSON.parse(line).url);
      });
      agent.on("exit", (code) => reject(new Error(`agent exited early (${code})`)));
    });
    await registerReference(t.db, referenceRegistration(refenv, { faultToken: refenv.adminToken, agent: { url, agentId: "dying-host", secretFile: "unused" } }), DRILL_AGENT_SECRET);
    await importRunbooks({ actor: systemActor(), db: t.db }, [{ name: "sleepy.md", bytes: new TextEncoder().encode(SLEEPY) }]);
  }, 60_000);
  afterAll(async () => {
    if (agent?.exitCode === null) agent.kill("SIGKILL");
    await refenv?.stop();
    await t?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("pauses the drill at that item with the reason; nothing runs on against the dead host", async () => {
    const commander = await makeUser(t.db, { role: "commander" });
    const ctx = { actor: commander.actor, db: t.db };
    const [reference] = await t.db.select().from((await import("@/db/schema")).environments);
    const drill = await startDrill(ctx, { runbookSlug: "sleepy", environmentId: reference.id });
    await until("the sleep step to run on the agent", async () => (await getDrillReport(ctx, drill.id)).items.find((i) => i.kind === "step" && i.outcome === "running" && i.executionId));
    await wait(300);
    agent.kill("SIGKILL");
    await drillSettled(drill.id);
    const report = await getDrillReport(ctx, drill.id);
    expect(report.drill.state).toBe("paused");
    expect(report.drill.pauseReason).toMatch(/Paused at "Wait": Lost contact with host agent/);
    expect(report.items.map((i) => i.outcome)).toEqual(["failed", "pending"]);
    expect(report.items[0].reason).toContain("What happened on the host is unknown");
  }, 60_000);
});

describe("the process driving a drill is killed", () => {
  let t: TestDatabase;
  let stack: DrillStack;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // Two processes share the database: PostgreSQL, whatever driver this run uses.
    t = await createTestDb({ driver: "postgres" });
    stack = await startDrillStack(t.db, { name: "driver-dies", patch: allowSleep });
    await importRunbooks({ actor: systemActor(), db: t.db }, [{ name: "sleepy.md", bytes: new TextEncoder().encode(SLEEPY) }]);
    await saveDrillPlan(
      { actor: systemActor(), db: t.db },
      {
        runbookSlug: "sleepy",
        plan: {
          summary: "Two runs hold two preview slots while the step waits.",
          steps: {
            "wait-1": {
              setup: [
                { kind: "create-runs", count: 2, prefix: "holder", title: "slot holder" },
                { kind: "acquire-slots", runs: ["holder_1", "holder_2"], as: ["held_1", "held_2"] },
              ],
              cleanup: [{ kind: "release-slots" }],
            },
          },
        },
      },
    );
  }, 60_000);
  afterAll(async () => {
    try {
      if (child?.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone (the test killed it)
    }
    await stack?.stop();
    await t?.cleanup();
  });

  async function leased() {
    const body = (await (await fetch(`${stack.refenv.urls["control-api"]}/api/slots`)).json()) as { slots: Array<{ slot_id: string; state: string }> };
    return body.slots.filter((s) => s.state === "leased").map((s) => s.slot_id);
  }

  it("within the settle time the drill is paused and no slot is leased; resume acquires them again", async () => {
    child = spawn(process.execPath, ["bin/sitrep.mjs", "drill", "run", "sleepy", "--env", "driver-dies"], {
      env: { ...process.env, DATABASE_URL: t.url!, SITREP_LOG_LEVEL: "error" },
      stdio: "ignore",
      detached: true,
    });
    const drillId = await until(
      "the CLI's drill to hold two slots while its step runs",
      async () => {
        const [row] = await t.db.select().from(drills).where(eq(drills.runbookSlug, "sleepy"));
        if (!row || (await leased()).length < 2) return undefined;
        const report = await getDrillReport({ actor: systemActor(), db: t.db }, row.id);
        return report.items.some((i) => i.kind === "step" && i.outcome === "running") ? row.id : undefined;
      },
      60_000,
    );
    process.kill(-child.pid!, "SIGKILL");
    const killedAt = Date.now();

    // This process sweeps as a console instance does on every beat.
    await beat(t.db, RUNNER_ID);
    await until(
      "the sweep to pause the drill and release its slots",
      async () => {
        await markOrphansLost(t.db, RUNNER_ID);
        await pauseOrphanedDrills(t.db, RUNNER_ID);
        const [row] = await t.db.select().from(drills).where(eq(drills.id, drillId));
        return row.state === "paused" && (await leased()).length === 0;
      },
      35_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(35_000);
    const ctx = { actor: (await makeUser(t.db, { role: "commander" })).actor, db: t.db };
    let report = await getDrillReport(ctx, drillId);
    expect(report.drill.pauseReason).toContain("was released");
    expect(report.items.find((i) => i.kind === "step")).toMatchObject({ outcome: "failed" });

    // Resume runs the interrupted step again from its setup: slots are acquired anew, then released by its cleanup.
    await resumeDrill(ctx, { drillId });
    await until("the setup to hold the slots again", async () => (await leased()).length === 2, 30_000);
    await drillSettled(drillId);
    report = await getDrillReport(ctx, drillId);
    expect(report.drill).toMatchObject({ state: "completed", result: "passed" });
    expect(report.items.find((i) => i.kind === "setup")!.earlier).toHaveLength(1);
    expect(await leased()).toEqual([]);
  }, 120_000);
});
