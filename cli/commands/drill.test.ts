import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "@/agent/index";
import { writeTestAllowlist } from "@/agent/testing";
import { acquireSeedHostLock, DRILL_AGENT_SECRET, previewDatabases, type HostLock } from "@/lib/drills/testing";
import { referenceRegistration, scriptEnv, startRefenv, type Refenv } from "@/refenv/index";

// The real CLI (bin/sitrep.mjs → tsx) in its own process, opening a fresh PGlite data folder
// itself (no server holds it): against a real reference environment and host agent started here
// on ephemeral ports and described in the data folder's reference.json (as `sitrep refenv start
// --with-agent` does), and on a data folder with no reference environment at all, where the CLI
// starts its own and leaves nothing behind. Seed 000 §6 runs createdb on the machine's
// PostgreSQL: the file holds the machine-wide seed host lock.
const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-drill-"));
const env = { ...process.env, SITREP_DATA_DIR: dataDir, DATABASE_URL: "", SITREP_LOG_LEVEL: "warn" as const };
const seeds = path.resolve(process.cwd(), "../shared/seeds");
const seed = (prefix: string) => path.join(seeds, fs.readdirSync(seeds).find((f) => f.startsWith(prefix))!);

let refenv: Refenv;
let agent: RunningAgent;
let lock: HostLock;

async function sitrep(...args: string[]) {
  return sitrepWith(env, ...args);
}

async function sitrepWith(environment: NodeJS.ProcessEnv, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["bin/sitrep.mjs", ...args], { env: environment, cwd: process.cwd(), maxBuffer: 50 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  lock = await acquireSeedHostLock();
  const stateDir = path.join(dataDir, "refenv");
  refenv = await startRefenv({ basePort: 0, adminToken: "cli-drill-admin", stateDir, tickMs: 100 });
  agent = await startAgent({ agentId: "cli-drill-host", secret: DRILL_AGENT_SECRET, allowlistFile: writeTestAllowlist(dataDir), env: scriptEnv(refenv) });
  fs.writeFileSync(path.join(dataDir, "agent.secret"), DRILL_AGENT_SECRET);
  fs.writeFileSync(
    path.join(dataDir, "reference.json"),
    JSON.stringify(referenceRegistration(refenv, { faultToken: refenv.adminToken, agent: { url: agent.url, agentId: "cli-drill-host", secretFile: "agent.secret" } })),
  );
}, 30_000);
afterAll(async () => {
  await agent?.stop();
  await refenv?.stop();
  await lock?.release();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Ports the drill's HTTP requests went to (the ephemeral reference environment's). */
function portsOf(report: { steps: Array<{ ran: unknown }> }): number[] {
  const ports = new Set<number>();
  for (const s of report.steps) for (const r of (s.ran as Array<{ url?: string }>) ?? []) if (r.url) ports.add(Number(new URL(r.url).port));
  return [...ports];
}

async function refused(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch (error) {
    return ((error as { cause?: { code?: string } }).cause?.code ?? "") === "ECONNREFUSED";
  }
}

/** Processes whose command line mentions `text` (the ephemeral sandbox folder). */
function processesMentioning(text: string): string[] {
  return fs
    .readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
        return cmd.includes(text) ? [cmd] : [];
      } catch {
        return [];
      }
    });
}

describe("sitrep drill run (CLI)", () => {
  it("drills seed 000 against the reference environment: exit 0, a JSON report with every step's expectation and outcome, no slot held", async () => {
    const result = await sitrep("drill", "run", seed("000"), "--env", "reference", "--json");
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { result: string; totals: { failed: number }; steps: Array<{ kind: string; stepId: string; expectation: { summary: string }; outcome: string }> };
    expect(report).toMatchObject({ result: "passed", totals: { failed: 0 } });
    expect(await previewDatabases()).toEqual([]);
    const steps = report.steps.filter((s) => s.kind === "step");
    expect(new Set(steps.map((s) => s.stepId)).size).toBe(8);
    for (const s of steps) {
      expect(s.expectation.summary).toBeTruthy();
      expect(["passed", "skipped"]).toContain(s.outcome);
    }
    const slots = (await (await fetch(`${refenv.urls["control-api"]}/api/slots`)).json()) as { slots: Array<{ state: string }> };
    expect(slots.slots.every((s) => s.state === "free")).toBe(true);
  }, 180_000);

  it("exits 1 and names the failing step when a fault is on (seed 001, slot backend preview-1 failing its health check: bring-up fails)", async () => {
    refenv.faults.set({ fault: "failing_health", surface: "slot-backend-preview-1", on: true });
    try {
      const result = await sitrep("drill", "run", seed("001"), "--env", "reference");
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✗ step +Bring-up \(Command-ready\)/);
      expect(result.stdout).toMatch(/FAILED: \d+ passed, [1-9]\d* failed/);
    } finally {
      refenv.faults.clear();
    }
  }, 180_000);

  it("with no server and no reference environment (a fresh clone): starts its own on free ports, drills seed 000, exit 0, leaves no process or port behind", async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-fresh-"));
    try {
      const result = await sitrepWith({ ...env, SITREP_DATA_DIR: fresh }, "drill", "run", seed("000"), "--env", "reference", "--json");
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { result: string; trigger: string; steps: Array<{ ran: unknown }> };
      expect(report).toMatchObject({ result: "passed", trigger: "cli" });
      const ports = portsOf(report);
      expect(ports.length).toBeGreaterThan(0);
      expect(ports).not.toContain(8000);
      for (const port of ports) expect(await refused(port), `port ${port}`).toBe(true);
      expect(processesMentioning("sitrep-drill-refenv-")).toEqual([]);
      expect(await previewDatabases()).toEqual([]);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  }, 240_000);

  it("while a console holds the embedded database: runs in an ephemeral database of its own and says so", async () => {
    const held = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-held-"));
    try {
      // The lock file a running console leaves next to its PGlite folder (this live process as holder).
      fs.writeFileSync(path.join(held, "pglite.lock"), JSON.stringify({ pid: process.pid, command: "next-server (console)", startedAt: new Date().toISOString() }));
      const result = await sitrepWith({ ...env, SITREP_DATA_DIR: held }, "drill", "run", seed("001"), "--env", "reference", "--json");
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("held by a running console");
      expect(JSON.parse(result.stdout)).toMatchObject({ result: "passed_with_skips", totals: { failed: 0 } });
    } finally {
      fs.rmSync(held, { recursive: true, force: true });
    }
  }, 240_000);
});
