import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, timelineEvents } from "@/db/schema";
import { makeUser, type TestDatabase } from "@/lib/testing";
import { startTriageStack, type TriageStack } from "@/lib/testing/triage-stack";
import { makeIncident } from "@/lib/incidents/test-fixtures";
import { ForbiddenError } from "@/lib/errors";
import type { Actor } from "@/lib/actor";
import { runtimeApi } from "@/lib/runtime-api";
import type { Refenv } from "@/refenv";
import { parseRunbook } from "@/lib/runbooks/parse";
import { startStepExecution } from "@/lib/executions/start";
import { executionDone } from "@/lib/executions/runner";
import { approveExecution, checkFreeze, classifyStep, freezeEnvironment, liftFreeze, replayDlqEntry } from "./index";

let database: TestDatabase;
let refenv: Refenv;
let commander: Actor;
let otherCommander: Actor;
let responder: Actor;
let viewer: Actor;
let environmentId: string;
let incidentId: string;

let stack: TriageStack;
beforeAll(async () => {
  stack = await startTriageStack("freeze", { tickMs: 20 });
  ({ database, refenv, commander, responder, viewer, environmentId, incidentId } = stack);
  otherCommander = (await makeUser(database.db, { role: "commander" })).actor;
});
afterAll(async () => {
  await stack?.stop();
});

const ctx = (actor: Actor) => ({ actor, db: database.db });
const events = (kind: string) => database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, kind)));
const audits = (action: string) => database.db.select().from(auditEntries).where(eq(auditEntries.action, action));

async function dlqJobs(n: number): Promise<string[]> {
  refenv.faults.set({ fault: "terminal_error_spike", on: true });
  const client = runtimeApi({ baseUrl: refenv.urls["runtime-api"] });
  for (let i = 0; i < 200; i++) {
    const { entries } = await client.dlq();
    if (entries.length >= n) {
      refenv.faults.set({ fault: "terminal_error_spike", on: false });
      return entries.slice(0, n).map((e) => e.job_id);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the DLQ did not fill");
}

describe("risk classes", () => {
  it("follows seed 002 §5", () => {
    expect(classifyStep("curl -fsS http://127.0.0.1:8080/v1/jobs?limit=20", false)).toBe("safe");
    expect(classifyStep("curl -X POST http://127.0.0.1:8080/v1/dlq/<job_id>/replay", false)).toBe("careful");
    expect(classifyStep("./scripts/deploy.sh <commit>", true)).toBe("destructive");
    expect(classifyStep("./scripts/rollback.sh <release_id>", false)).toBe("careful");
  });
});

describe("freeze", () => {
  it("only commanders freeze; a responder's DLQ replay is refused, on the timeline and audited; one approval runs exactly one", async () => {
    const [first, second] = await dlqJobs(2);
    await expect(freezeEnvironment(ctx(responder), { incidentId, environmentId })).rejects.toBeInstanceOf(ForbiddenError);
    const freeze = await freezeEnvironment(ctx(commander), { incidentId, environmentId });
    expect(await events("freeze.on")).toHaveLength(1);
    expect((await audits("freeze.on"))[0].actorEmail).toBe(commander.email);

    await expect(replayDlqEntry(ctx(responder), { environmentId, jobId: first })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await events("freeze.refused")).toHaveLength(1);
    expect(await audits("freeze.refuse")).toHaveLength(1);
    // Still in the DLQ: nothing was sent.
    const client = runtimeApi({ baseUrl: refenv.urls["runtime-api"] });
    expect((await client.dlq()).entries.map((e) => e.job_id)).toContain(first);

    await expect(approveExecution(ctx(responder), { freezeId: freeze.id, action: "dlq.replay", reason: "customer waiting" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(approveExecution(ctx(otherCommander), { freezeId: freeze.id, action: "dlq.replay", reason: "not mine" })).rejects.toBeInstanceOf(ForbiddenError);
    const approval = await approveExecution(ctx(commander), { freezeId: freeze.id, action: "dlq.replay", target: first, reason: "customer waiting on this job" });
    expect((await audits("freeze.approve"))[0].targetId).toBe(approval.id);

    const ran = await replayDlqEntry(ctx(responder), { environmentId, jobId: first, approvalId: approval.id });
    expect(ran.approvalId).toBe(approval.id);
    expect((await client.dlq()).entries.map((e) => e.job_id)).not.toContain(first);
    expect(await events("freeze.approval_used")).toHaveLength(1);

    await expect(replayDlqEntry(ctx(responder), { environmentId, jobId: second, approvalId: approval.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await client.dlq()).entries.map((e) => e.job_id)).toContain(second);
    expect(await events("freeze.refused")).toHaveLength(2);
    expect((await audits("dlq.replay")).length).toBe(1);

    await expect(replayDlqEntry(ctx(viewer), { environmentId, jobId: second })).rejects.toBeInstanceOf(ForbiddenError);

    await expect(liftFreeze(ctx(responder), { freezeId: freeze.id })).rejects.toBeInstanceOf(ForbiddenError);
    await liftFreeze(ctx(commander), { freezeId: freeze.id });
    expect(await events("freeze.off")).toHaveLength(1);
    expect((await audits("freeze.off"))[0].actorEmail).toBe(commander.email);
    await replayDlqEntry(ctx(responder), { environmentId, jobId: second });
    expect((await client.dlq()).entries.map((e) => e.job_id)).not.toContain(second);
  });

  it("safe actions are never frozen", async () => {
    const freeze = await freezeEnvironment(ctx(commander), { incidentId, environmentId });
    expect(await checkFreeze(ctx(responder), { environmentId, riskClass: "safe", action: "jobs.list" })).toEqual({ allowed: true, approvalId: null });
    await liftFreeze(ctx(commander), { freezeId: freeze.id });
  });
});

describe("freeze on runbook steps", () => {
  it("refuses a careful step during a freeze and runs it once with an approval", async () => {
    const seedDir = path.resolve(process.cwd(), "../shared/seeds");
    const seed = fs.readdirSync(seedDir).find((f) => f.startsWith("000_"))!;
    const steps = parseRunbook(fs.readFileSync(path.join(seedDir, seed), "utf8"), { fileName: "operator-incident.md" }).steps;
    // §2 resumes a failed run: careful under seed 002 §5.
    const resumeStep = steps.find((s) => s.source.includes("/resume"))!;
    expect(classifyStep(resumeStep.source, false)).toBe("careful");
    const source = { runbookId: null, runbookSlug: "operator-incident", revisionId: null, step: resumeStep, environmentId, inputs: {} };
    const incident = await makeIncident(database.db, commander);
    const freeze = await freezeEnvironment(ctx(commander), { incidentId: incident.id, environmentId });
    try {
      await expect(startStepExecution(ctx(responder), source)).rejects.toBeInstanceOf(ForbiddenError);
      const approval = await approveExecution(ctx(commander), { freezeId: freeze.id, action: "step.careful", target: `operator-incident#${resumeStep.id}`, reason: "resume is needed to recover" });
      const started = await startStepExecution(ctx(responder), { ...source, approvalId: approval.id });
      await executionDone(started.id);
      await expect(startStepExecution(ctx(responder), { ...source, approvalId: approval.id })).rejects.toBeInstanceOf(ForbiddenError);
    } finally {
      await liftFreeze(ctx(commander), { freezeId: freeze.id });
    }
  });
});
