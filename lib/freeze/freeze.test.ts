import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, freezeApprovals, timelineEvents } from "@/db/schema";
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
import { approveExecution, checkFreeze, classifyStep, freezeEnvironment, liftFreeze, replayDlqEntry, stepTarget } from "./index";

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

const stepOf = (text: string) => parseRunbook(`# R\n\n## S\n\`\`\`bash\n${text}\n\`\`\`\n`, { fileName: "r.md" }).steps[0];

describe("risk classes", () => {
  it("follows seed 002 §5", () => {
    expect(classifyStep(stepOf("curl -fsS http://127.0.0.1:8080/v1/jobs?limit=20"), false)).toBe("safe");
    expect(classifyStep(stepOf("curl -X POST http://127.0.0.1:8080/v1/dlq/<job_id>/replay"), false)).toBe("careful");
    expect(classifyStep(stepOf("./scripts/deploy.sh <commit>"), true)).toBe("destructive");
    expect(classifyStep(stepOf("./scripts/rollback.sh <release_id>"), false)).toBe("careful");
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

    await expect(approveExecution(ctx(responder), { freezeId: freeze.id, action: "dlq.replay", target: first, reason: "customer waiting" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(approveExecution(ctx(otherCommander), { freezeId: freeze.id, action: "dlq.replay", target: first, reason: "not mine" })).rejects.toBeInstanceOf(ForbiddenError);
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
    expect(await checkFreeze(ctx(responder), { environmentId, riskClass: "safe", action: "jobs.list", target: "" })).toEqual({ allowed: true, approvalId: null });
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
    expect(classifyStep(resumeStep, false)).toBe("careful");
    const source = { runbookId: null, runbookSlug: "operator-incident", revisionId: null, step: resumeStep, environmentId, inputs: {} };
    const incident = await makeIncident(database.db, commander);
    const freeze = await freezeEnvironment(ctx(commander), { incidentId: incident.id, environmentId });
    try {
      await expect(startStepExecution(ctx(responder), source)).rejects.toBeInstanceOf(ForbiddenError);
      const approval = await approveExecution(ctx(commander), { freezeId: freeze.id, action: "step.careful", target: stepTarget("operator-incident", resumeStep.id, null), reason: "resume is needed to recover" });
      const started = await startStepExecution(ctx(responder), { ...source, approvalId: approval.id });
      await executionDone(started.id);
      await expect(startStepExecution(ctx(responder), { ...source, approvalId: approval.id })).rejects.toBeInstanceOf(ForbiddenError);
    } finally {
      await liftFreeze(ctx(commander), { freezeId: freeze.id });
    }
  });
});

describe("freezes judge what will run (issue 13 finding 6)", () => {
  it("classifies the argv the agent executes, not the text", () => {
    const careful = [
      "./scripts/dep''loy.sh <known_commit>",
      '"./scripts/de"ploy.sh <known_commit>',
      "./scripts/dep\\loy.sh <known_commit>",
      'S=./scripts/deploy.sh\n"$S" <known_commit>',
      "D=deploy\n./scripts/$D.sh <known_commit>",
      "./scripts/roll''back.sh <release_id>",
      "./scripts/preview-slot-migrate.sh --slot preview-1",
      // A program only known at run time, and text the agent would refuse to read.
      '"$FROM_A_CAPTURE" --now',
      "./scripts/runtime-health-check.sh && ./scripts/deploy.sh x",
    ];
    for (const text of careful) expect(classifyStep(stepOf(text), false), text).toBe("careful");
    expect(classifyStep(stepOf("./scripts/dep''loy.sh <known_commit>"), true)).toBe("destructive");
    const safe = [
      "# resume and replay are for later; this only looks\ncurl -fsS http://127.0.0.1:8000/api/slots",
      "./scripts/preview-slot-migrate.sh --slot preview-1 --dry-run",
      "./scripts/release-registry.sh list",
      "tail -n 200 /tmp/oroboros-preview-backend/preview-1.log",
    ];
    for (const text of safe) expect(classifyStep(stepOf(text), false), text).toBe("safe");
  });

  it("refuses the quoted dep''loy.sh during a freeze, on the timeline", async () => {
    const incident = await makeIncident(database.db, commander);
    const freeze = await freezeEnvironment(ctx(commander), { incidentId: incident.id, environmentId });
    try {
      const step = stepOf("./scripts/dep''loy.sh <known_commit>");
      const source = { runbookId: null, runbookSlug: "quoting", revisionId: null, step, environmentId, inputs: { known_commit: "abc1234" } };
      await expect(startStepExecution(ctx(responder), source)).rejects.toThrow(/careful are frozen/);
      const refused = (await database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incident.id), eq(timelineEvents.kind, "freeze.refused"))))[0];
      expect(refused.payload).toMatchObject({ action: "step.careful", target: stepTarget("quoting", step.id, null) });
    } finally {
      await liftFreeze(ctx(commander), { freezeId: freeze.id });
    }
  });

  it("an approval for step A does not run step B, another revision of A, or A twice", async () => {
    const seedDir = path.resolve(process.cwd(), "../shared/seeds");
    const seed = fs.readdirSync(seedDir).find((f) => f.startsWith("000_"))!;
    const stepA = parseRunbook(fs.readFileSync(path.join(seedDir, seed), "utf8"), { fileName: "operator-incident.md" }).steps.find((s) => s.source.includes("/resume"))!;
    const stepB = stepOf("curl -fsS -X POST http://127.0.0.1:8080/v1/dlq/<job_id>/replay");
    const revision = crypto.randomUUID();
    const run = (step: typeof stepA, approvalId?: string, revisionId: string | null = revision, inputs: Record<string, string> = {}) =>
      startStepExecution(ctx(responder), { runbookId: null, runbookSlug: "operator-incident", revisionId, step, environmentId, inputs, approvalId });
    const incident = await makeIncident(database.db, commander);
    const freeze = await freezeEnvironment(ctx(commander), { incidentId: incident.id, environmentId });
    try {
      const approval = await approveExecution(ctx(commander), { freezeId: freeze.id, action: "step.careful", target: stepTarget("operator-incident", stepA.id, revision), reason: "resume to recover" });
      await expect(run(stepB, approval.id, revision, { job_id: "job-1" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(run(stepB, undefined, revision, { job_id: "job-1" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(run(stepA, approval.id, crypto.randomUUID())).rejects.toBeInstanceOf(ForbiddenError);
      const started = await run(stepA, approval.id);
      await executionDone(started.id);
      await expect(run(stepA, approval.id)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(run(stepA)).rejects.toBeInstanceOf(ForbiddenError);
      // Named by its step, an approval is found without its id, and still works once.
      const second = await approveExecution(ctx(commander), { freezeId: freeze.id, action: "step.careful", target: stepTarget("operator-incident", stepA.id, revision), reason: "once more" });
      const again = await run(stepA);
      await executionDone(again.id);
      const [used] = await database.db.select().from(freezeApprovals).where(eq(freezeApprovals.id, second.id));
      expect(used.usedBy).toBe(responder.email);
      await expect(run(stepA)).rejects.toBeInstanceOf(ForbiddenError);
    } finally {
      await liftFreeze(ctx(commander), { freezeId: freeze.id });
    }
  });
});
