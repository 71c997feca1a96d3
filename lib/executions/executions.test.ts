import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, incidents, stepExecutions, timelineEvents } from "@/db/schema";
import { ensureIncidentDefaults } from "@/lib/incidents";
import { makeIncident } from "@/lib/incidents/test-fixtures";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import type { Actor } from "@/lib/actor";
import { parseRunbook, type Step } from "@/lib/runbooks/parse";
import { createEnvironment, registerReference, addAgent } from "@/lib/environments";
import { referenceRegistration, startRefenv, scriptEnv, type Refenv } from "@/refenv";
import { writeTestAllowlist } from "@/agent/testing";
import { cancelExecution, chunksAfter, executionDone, latestCaptures, markOrphansLost, startStepExecution, RUNNER_ID } from "./index";

// Steps of seed 000 run for real: HTTP steps through the typed client against the reference
// environment, shell steps through a host agent process, which is killed mid-step in one test.

const SECRET = "executions-test-secret-0123456789";
let database: TestDatabase;
let refenv: Refenv;
let dir: string;
let agentProcess: ChildProcess;
let agentUrl: string;
let environmentId: string;
let responder: Actor;
let viewer: Actor;
let admin: Actor;
let steps: Step[];

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function startAgentProcess(allowlistFile: string, agentId: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(process.cwd(), "agent/main.ts")], {
    env: { ...process.env, ...scriptEnv(refenv), SITREP_AGENT_ID: agentId, SITREP_AGENT_SECRET: SECRET, SITREP_AGENT_PORT: "0", SITREP_AGENT_ALLOWLIST: allowlistFile },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n").find((l) => l.includes('"agent.started"'));
      if (line) resolve({ child, url: JSON.parse(line).url });
    });
    child.on("exit", (code) => reject(new Error(`agent exited early with ${code}`)));
  });
}

beforeAll(async () => {
  database = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-exec-test-"));
  refenv = await startRefenv({ basePort: 0, stateDir: path.join(dir, "refenv"), tickMs: 100 });
  const allowlist = writeTestAllowlist(dir, (json) => {
    json.programs.push({ name: "sleep", positional: [{ pattern: "^[0-9]{1,2}$" }], minPositional: 1 });
  });
  ({ child: agentProcess, url: agentUrl } = await startAgentProcess(allowlist, "test-host"));
  environmentId = await registerReference(
    database.db,
    referenceRegistration(refenv, { faultToken: refenv.adminToken, agent: { url: agentUrl, agentId: "test-host", secretFile: "unused" } }),
    SECRET,
  );
  admin = (await makeUser(database.db, { role: "admin" })).actor;
  responder = (await makeUser(database.db, { role: "responder" })).actor;
  viewer = (await makeUser(database.db, { role: "viewer" })).actor;
  const seedDir = path.resolve(process.cwd(), "../shared/seeds");
  const seed = fs.readdirSync(seedDir).find((f) => f.startsWith("000_"))!;
  steps = parseRunbook(fs.readFileSync(path.join(seedDir, seed), "utf8"), { fileName: "operator-incident.md" }).steps;
});
afterAll(async () => {
  if (agentProcess?.exitCode === null) agentProcess.kill("SIGKILL");
  await refenv?.stop();
  await database?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ctx = (actor: Actor) => ({ actor, db: database.db });
const step = (prefix: string) => steps.find((s) => s.id.startsWith(prefix))!;
const source = (s: Step) => ({ runbookId: null, runbookSlug: "operator-incident", revisionId: null, step: s });

async function runToEnd(actor: Actor, s: Step, inputs: Record<string, string> = {}, envId = environmentId) {
  const started = await startStepExecution(ctx(actor), { ...source(s), environmentId: envId, inputs });
  expect(started.state).toBe("running");
  await executionDone(started.id);
  const [row] = await database.db.select().from(stepExecutions).where(eq(stepExecutions.id, started.id));
  const output = (await chunksAfter(database.db, started.id, 0)).map((c) => c.text).join("");
  return { row, output };
}

describe("running seed 000 steps", () => {
  it("runs the worker-timeout HTTP step natively and captures RUN_ID for later steps", async () => {
    const { row, output } = await runToEnd(responder, step("2-worker-timeout"));
    expect(row.state, row.reason ?? "").toBe("succeeded");
    expect(row.kind).toBe("http");
    expect(row.expectationMet).toBe(true);
    expect(row.startedByEmail).toBe(responder.email);
    expect((row.results as { httpStatus: number }[]).map((r) => r.httpStatus)).toEqual([201, 200, 200]);
    const runId = (row.captures as { input: string; value: string }[]).find((c) => c.input === "run_id")!.value;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    // What exactly ran: the resolved requests against the environment's control API.
    const ran = row.ran as { url: string; body?: unknown }[];
    expect(ran[1].url).toBe(`${refenv.urls["control-api"]}/api/runs/${runId}/transition`);
    expect(ran[1].body).toEqual({ to_status: "failed", failure_reason_code: "AGENT_TIMEOUT" });
    expect(output).toContain("HTTP 201");
    expect(refenv.control.getRun(runId)).toMatchObject({ status: "queued", attempt: 2 });
    expect(await latestCaptures(database.db, "operator-incident")).toEqual({ run_id: runId });
    const audit = await database.db.select().from(auditEntries).where(eq(auditEntries.targetId, row.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["step.execution.finish", "step.execution.start"]);
  });

  it("runs the readiness shell step through the host agent", async () => {
    const { row, output } = await runToEnd(responder, step("1-readiness"));
    expect(row.state, `${row.reason}\n${output}`).toBe("succeeded");
    expect(row.exitCode).toBe(0);
    expect(row.host).toContain(agentUrl);
    expect((row.results as { kind: string; exitCode: number }[]).map((r) => [r.kind, r.exitCode])).toEqual([
      ["shell", 0],
      ["shell", 0],
    ]);
    expect(output).toContain("$ ./scripts/runtime-health-check.sh");
  });

  it("carries assignment-only lines to the agent in front of the next command", async () => {
    const md = "# Vars\n\n## Prepare\n```bash\nDEPLOY_ROOT=/tmp/oroboros-drill\nRELEASE=<release_id>\nmkdir -p \"$DEPLOY_ROOT/releases/$RELEASE\"\n```\n";
    const s = parseRunbook(md, { fileName: "vars.md" }).steps[0];
    const release = `rel-${Date.now()}`;
    const { row, output } = await runToEnd(responder, s, { release_id: release });
    expect(row.state, `${row.reason}\n${output}`).toBe("succeeded");
    expect(fs.existsSync(`/tmp/oroboros-drill/releases/${release}`)).toBe(true);
    fs.rmSync(`/tmp/oroboros-drill/releases/${release}`, { recursive: true, force: true });
  });

  it("records a run made for an incident on its timeline: who ran what, where, and how it ended", async () => {
    await ensureIncidentDefaults(database.db);
    const commander = (await makeUser(database.db, { role: "commander" })).actor;
    const incident = await makeIncident(database.db, commander, { title: "Runtime checks for the timeline" });
    const started = await startStepExecution(ctx(responder), { ...source(step("1-readiness")), environmentId, inputs: {}, incidentId: incident.id });
    await executionDone(started.id);
    const [row] = await database.db.select().from(stepExecutions).where(eq(stepExecutions.id, started.id));
    expect(row.incidentId).toBe(incident.id);
    const events = await database.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incident.id));
    const started_ = events.find((e) => e.kind === "step.started")!;
    const finished = events.find((e) => e.kind === "step.finished")!;
    expect(started_.actorName).toBe(responder.name);
    expect(started_.body).toMatch(/^Ran step “.+” of operator-incident on reference via local \(http:\/\/127\.0\.0\.1:\d+\)$/);
    expect(started_.payload).toMatchObject({ executionId: row.id, runbook: "operator-incident" });
    expect(finished.body).toMatch(/^Step “.+” of operator-incident succeeded \(exit 0\)$/);
    expect(finished.seq).toBeGreaterThan(started_.seq);
    const audit = await database.db.select().from(auditEntries).where(eq(auditEntries.targetId, row.id));
    expect(audit.find((a) => a.action === "step.execution.start")?.after).toMatchObject({ incidentId: incident.id });

    // A closed incident's record is final; an unknown one does not exist.
    await database.db.update(incidents).set({ status: "closed" }).where(eq(incidents.id, incident.id));
    const before = await database.db.select().from(stepExecutions);
    await expect(startStepExecution(ctx(responder), { ...source(step("1-readiness")), environmentId, inputs: {}, incidentId: incident.id })).rejects.toThrow(/is closed/);
    await expect(startStepExecution(ctx(responder), { ...source(step("1-readiness")), environmentId, inputs: {}, incidentId: crypto.randomUUID() })).rejects.toThrow(/does not exist/);
    expect(await database.db.select().from(stepExecutions)).toHaveLength(before.length);
  });

  it("validates placeholder inputs before anything runs", async () => {
    const slotStep = step("3-slot-exhaustion");
    const error = await startStepExecution(ctx(responder), { ...source(slotStep), environmentId, inputs: { run_id: "x; rm -rf /", slot_id: "preview-9" } }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["run_id", "slot_id"]);
  });

  it("refuses a viewer and stores nothing", async () => {
    const before = await database.db.select().from(stepExecutions);
    await expect(startStepExecution(ctx(viewer), { ...source(step("1-readiness")), environmentId, inputs: {} })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await database.db.select().from(stepExecutions)).toHaveLength(before.length);
  });

  it("ends with a clear reason when the control API is down", async () => {
    const closed = await closedPort();
    const down = await createEnvironment(ctx(admin), { name: "down", kind: "drill", controlBaseUrl: `http://127.0.0.1:${closed}`, runtimeBaseUrl: `http://127.0.0.1:${closed}` });
    const { row, output } = await runToEnd(responder, step("2-worker-timeout"), {}, down.id);
    expect(row.state).toBe("failed");
    expect(row.reason).toBe(`The control API at http://127.0.0.1:${closed} refused the connection (is it running?) (POST /api/runs).`);
    expect(output).toContain("refused the connection");
  });

  it("asks for confirmation on production", async () => {
    const prod = await createEnvironment(ctx(admin), { name: "prod", kind: "production", controlBaseUrl: refenv.urls["control-api"], runtimeBaseUrl: refenv.urls["runtime-api"] });
    await expect(startStepExecution(ctx(responder), { ...source(step("2-worker-timeout")), environmentId: prod.id, inputs: {} })).rejects.toThrow(/production/);
    const started = await startStepExecution(ctx(responder), { ...source(step("2-worker-timeout")), environmentId: prod.id, inputs: {}, confirmProduction: true });
    await executionDone(started.id);
  });
});

describe("cancelling and losing the host agent", () => {
  const slowStep = () => parseRunbook("# Slow\n\n## Wait\n```bash\nsleep 20\n```\n", { fileName: "slow.md" }).steps[0];
  async function untilRunning(id: string) {
    for (let i = 0; i < 200; i++) {
      const chunks = await chunksAfter(database.db, id, 0);
      if (chunks.some((c) => c.text.includes("$ sleep 20"))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("lets a responder cancel a running step (viewers may not), audited", async () => {
    const started = await startStepExecution(ctx(responder), { ...source(slowStep()), environmentId, inputs: {} });
    await untilRunning(started.id);
    await expect(cancelExecution(ctx(viewer), { id: started.id })).rejects.toBeInstanceOf(ForbiddenError);
    await cancelExecution(ctx(responder), { id: started.id });
    await executionDone(started.id);
    const [row] = await database.db.select().from(stepExecutions).where(eq(stepExecutions.id, started.id));
    expect(row.state).toBe("cancelled");
    const audit = await database.db.select().from(auditEntries).where(eq(auditEntries.targetId, started.id));
    expect(audit.map((a) => a.action)).toContain("step.execution.cancel");
  });

  it("marks the execution lost with a clear reason when the agent dies mid-step", async () => {
    const slow = parseRunbook("# Slow\n\n## Wait\n```bash\nsleep 20\n```\n", { fileName: "slow.md" }).steps[0];
    const started = await startStepExecution(ctx(responder), { ...source(slow), environmentId, inputs: {} });
    for (let i = 0; i < 100; i++) {
      const chunks = await chunksAfter(database.db, started.id, 0);
      if (chunks.some((c) => c.text.includes("$ sleep 20"))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const killedAt = Date.now();
    agentProcess.kill("SIGKILL");
    await executionDone(started.id);
    const [row] = await database.db.select().from(stepExecutions).where(eq(stepExecutions.id, started.id));
    expect(row.state).toBe("lost");
    expect(row.reason).toMatch(/Lost contact with host agent "local" mid-step/);
    expect(row.finishedAt).not.toBeNull();
    expect(Date.now() - killedAt).toBeLessThan(5_000);
  });

  it("marks executions left running by an earlier process as lost at start", async () => {
    const [orphan] = await database.db
      .insert(stepExecutions)
      .values({ runbookSlug: "x", stepId: "s", kind: "shell", source: "sleep 1", ran: [], environmentId, environmentName: "reference", startedBy: responder.userId, startedByEmail: responder.email, runnerId: "an-old-process" })
      .returning();
    expect(await markOrphansLost(database.db, RUNNER_ID)).toBeGreaterThanOrEqual(1);
    const [row] = await database.db.select().from(stepExecutions).where(and(eq(stepExecutions.id, orphan.id)));
    expect(row.state).toBe("lost");
    expect(row.reason).toMatch(/console process running this step stopped/);
  });

  it("tells the incident when a run made for it was lost with an earlier process", async () => {
    await ensureIncidentDefaults(database.db);
    const incident = await makeIncident(database.db, admin, { title: "Lost run" });
    await database.db
      .insert(stepExecutions)
      .values({ runbookSlug: "x", stepId: "s", stepTitle: "Wait", kind: "shell", source: "sleep 1", ran: [], environmentId, environmentName: "reference", startedBy: responder.userId, startedByEmail: responder.email, runnerId: "an-old-process", incidentId: incident.id });
    await markOrphansLost(database.db, RUNNER_ID);
    const [event] = await database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incident.id), eq(timelineEvents.kind, "step.finished")));
    expect(event.body).toMatch(/^Step “Wait” of x lost \(The console process running this step stopped/);
    expect(event.actorName).toBe("Sitrep");
  });

  it("refuses an agent that belongs to another environment", async () => {
    const other = await createEnvironment(ctx(admin), { name: "other", kind: "drill", controlBaseUrl: "http://127.0.0.1:9", runtimeBaseUrl: "http://127.0.0.1:9" });
    const agent = await addAgent(ctx(admin), { environmentId: other.id, name: "a", url: "http://127.0.0.1:9", agentKey: "a", secret: "0123456789abcdef0123" });
    await expect(startStepExecution(ctx(responder), { ...source(step("1-readiness")), environmentId, agentId: agent.id, inputs: {} })).rejects.toThrow(/does not belong/);
  });
});
