import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "@/agent/index";
import { writeTestAllowlist } from "@/agent/testing";
import { addDropdb, DRILL_AGENT_SECRET } from "@/lib/drills/testing";
import { referenceRegistration, scriptEnv, startRefenv, type Refenv } from "@/refenv/index";

// The real CLI (bin/sitrep.mjs → tsx) in its own process, opening a fresh PGlite data folder
// itself (no server holds it), against a real reference environment and host agent started here
// on ephemeral ports and described in the data folder's reference.json as the start script does.
const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-cli-drill-"));
const env = { ...process.env, SITREP_DATA_DIR: dataDir, DATABASE_URL: "", SITREP_LOG_LEVEL: "warn" as const };
const seeds = path.resolve(process.cwd(), "../shared/seeds");
const seed = (prefix: string) => path.join(seeds, fs.readdirSync(seeds).find((f) => f.startsWith(prefix))!);

let refenv: Refenv;
let agent: RunningAgent;

async function sitrep(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["bin/sitrep.mjs", ...args], { env, cwd: process.cwd(), maxBuffer: 50 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  const stateDir = path.join(dataDir, "refenv");
  refenv = await startRefenv({ basePort: 0, adminToken: "cli-drill-admin", stateDir, tickMs: 100 });
  agent = await startAgent({ agentId: "cli-drill-host", secret: DRILL_AGENT_SECRET, allowlistFile: writeTestAllowlist(dataDir, addDropdb), env: scriptEnv(refenv) });
  fs.writeFileSync(path.join(dataDir, "agent.secret"), DRILL_AGENT_SECRET);
  fs.writeFileSync(
    path.join(dataDir, "reference.json"),
    JSON.stringify(referenceRegistration(refenv, { faultToken: refenv.adminToken, agent: { url: agent.url, agentId: "cli-drill-host", secretFile: "agent.secret" } })),
  );
}, 30_000);
afterAll(async () => {
  await agent?.stop();
  await refenv?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("sitrep drill run (CLI)", () => {
  it("drills seed 000 against the reference environment: exit 0, a JSON report with every step's expectation and outcome, no slot held", async () => {
    const result = await sitrep("drill", "run", seed("000"), "--env", "reference", "--json");
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { result: string; totals: { failed: number }; steps: Array<{ kind: string; stepId: string; expectation: { summary: string }; outcome: string }> };
    expect(report).toMatchObject({ result: "passed", totals: { failed: 0 } });
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
});
