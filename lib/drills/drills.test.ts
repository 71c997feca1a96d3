import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, runbooks, runbookValidations } from "@/db/schema";
import { runDrillToEnd, toJson } from "@/cli/commands/drill";
import { systemActor } from "@/lib/actor";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { displayStatus, importRunbooks, saveRunbookRevision } from "@/lib/runbooks";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { abortDrill, confirmManual, drillSettled, getDrillReport, pauseDrill, resumeDrill, retryItem, runNextItem, signOffDrill, skipItem, startDrill, updateDrillSettings } from "./index";
import { acquireSeedHostLock, DRILL_AGENT_SECRET, pathWithout, previewDatabases, startDrillStack, type DrillStack, type HostLock } from "./testing";

// Seed 000 and 001 drilled end to end: a real database, a real reference environment and a real
// host agent on ephemeral ports, the seeds read unchanged from ../shared/seeds. Nothing is mocked.
// Seed 000 §6 runs createdb against the PostgreSQL at 127.0.0.1:5432 (dropped again in cleanup),
// so the file holds the machine-wide seed host lock.

const seeds = path.resolve(process.cwd(), "../shared/seeds");
const seedFile = (prefix: string) => path.join(seeds, fs.readdirSync(seeds).find((f) => f.startsWith(prefix))!);
const SEED_000 = "operator-incident-and-rollback-runbook-host-only";
const SEED_001 = "fullstack-preview-ops-runbook-myo-64";
const TINY = `# Tiny drill runbook

## Check

1. Look at control health:
   - \`curl -fsS http://127.0.0.1:8000/health\`
2. Confirm the dashboard is green.
3. Reap expired leases:
   - \`curl -fsS -X POST http://127.0.0.1:8000/api/slots/reap-expired\`
`;

let t: TestDatabase;
let stack: DrillStack;
let lock: HostLock;
const admin = () => ({ actor: systemActor(), db: t.db });

beforeAll(async () => {
  lock = await acquireSeedHostLock();
  t = await createTestDb();
  stack = await startDrillStack(t.db, { name: "drill-reference" });
  const files = ["000", "001"].map((p) => ({ name: seedFile(p), bytes: new Uint8Array(fs.readFileSync(seedFile(p))) }));
  files.push({ name: "tiny.md", bytes: new TextEncoder().encode(TINY) });
  const results = await importRunbooks(admin(), files);
  expect(results.map((r) => r.status)).toEqual(["created", "created", "created"]);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await t?.cleanup();
  await lock?.release();
});

async function heldSlots() {
  const res = await fetch(`${stack.refenv.urls["control-api"]}/api/slots`);
  const body = (await res.json()) as { slots: Array<{ slot_id: string; state: string }> };
  return body.slots.filter((s) => s.state !== "free");
}

const byStep = (json: ReturnType<typeof toJson>, stepId: string) => json.steps.filter((s) => s.stepId === stepId && s.kind === "step");

describe("seed 000 as a drill against the reference environment", () => {
  it.each([1, 2])("run %i in a row passes every executable section, reports expectation and outcome per step, and leaves no slot held and no database behind", async () => {
    const report = await runDrillToEnd(admin(), { runbook: SEED_000, env: "drill-reference", inputs: {} });
    const json = toJson(report);
    const failures = json.steps.filter((s) => s.outcome === "failed").map((s) => `${s.title}: ${s.reason}\n${s.output}`);
    expect(failures).toEqual([]);
    expect(json.result).toBe("passed");
    expect(json.state).toBe("completed");
    for (const s of json.steps) {
      expect(s.expectation).toHaveProperty("summary");
      expect(["passed", "skipped"]).toContain(s.outcome);
    }
    const sections = ["1-readiness-baseline-1", "2-worker-timeout-recovery-api-contract-1", "3-slot-exhaustion-and-recovery-1", "4-failed-deploy-drill-isolated-host-deploy-root-1", "5-rollback-command-validation-1", "6-failed-preview-reset-migration-drill-and-recovery-1", "7-post-incident-verification-1"];
    for (const id of sections) {
      const parts = byStep(json, id);
      expect(parts.length, id).toBeGreaterThan(0);
      for (const p of parts) expect(p.outcome, `${id}: ${p.reason}`).toBe("passed");
    }
    // §2: the created run's id was captured and fed the transition and the resume.
    expect(json.variables.run_id).toMatch(/^[0-9a-f-]{36}$/);
    const resume = (byStep(json, "2-worker-timeout-recovery-api-contract-1")[0].ran as Array<{ url: string }>).map((r) => r.url);
    expect(resume.at(-1)).toContain(`/api/runs/${json.variables.run_id}/resume`);
    // §3: the fourth acquire was told to wait, and the assertion was checked.
    const acquire = byStep(json, "3-slot-exhaustion-and-recovery-1")[0];
    expect((acquire.expectation as { summary: string }).summary).toContain("queue_reason = WAITING_FOR_SLOT");
    expect(acquire.results).toEqual([expect.objectContaining({ httpStatus: 202, met: true, assertions: [expect.objectContaining({ observed: "WAITING_FOR_SLOT", ok: true, enforced: true })] })]);
    // §4: the failing deploy is an expected failure that failed, and the old release came back.
    const deploy = byStep(json, "4-failed-deploy-drill-isolated-host-deploy-root-1")[0];
    expect(deploy.output).toContain(`restored previous release ${(json.inputs as Record<string, string>).commit_old}`);
    // §5: the rollback to a missing release is an expected failure.
    const rollback = byStep(json, "5-rollback-command-validation-1")[0];
    expect(rollback.results).toEqual(expect.arrayContaining([expect.objectContaining({ expected: "failure", met: true })]));
    expect(rollback.output).toContain("missing-release-id");
    // §6: createdb ran for real, the unknown snapshot failed as expected, the seed recovery worked.
    const preview = byStep(json, "6-failed-preview-reset-migration-drill-and-recovery-1");
    expect(preview.map((p) => p.outcome)).toEqual(["passed", "passed", "passed", "passed"]);
    expect(preview[3].output).toMatch(/slot_id=preview-[1-3] database=app_preview_[1-3] strategy=seed version=v1/);
    // The preview databases are dropped again: the agent allowed dropdb for the declared resources only.
    const removal = json.steps.find((s) => s.kind === "cleanup" && s.title.includes("Remove app_preview_1"))!;
    expect(removal.outcome).toBe("passed");
    expect(JSON.stringify(removal.ran)).toContain('"removes":[{"kind":"postgres-database","name":"app_preview_1"}]');
    expect(await previewDatabases()).toEqual([]);
    // The Python fallback is not applicable by the plan, with its reason; it does not weaken the result.
    expect(json.skips).toEqual([expect.objectContaining({ by: "drill plan", reason: expect.stringContaining("Fallback only") })]);
    expect(await heldSlots()).toEqual([]);
  }, 120_000);

  it("fails on the readiness step when a surface's health check is failing, says why, and still cleans up", async () => {
    stack.refenv.faults.set({ fault: "failing_health", surface: "web-main", on: true });
    try {
      const report = await runDrillToEnd(admin(), { runbook: SEED_000, env: "drill-reference", inputs: {} });
      const json = toJson(report);
      expect(json.result).toBe("failed");
      const readiness = byStep(json, "1-readiness-baseline-1")[0];
      expect(readiness.outcome).toBe("failed");
      expect(readiness.reason).toContain("web-main");
      expect(json.reason).toContain("First failure: 1) Readiness");
      expect(byStep(json, "3-slot-exhaustion-and-recovery-1").every((s) => s.outcome === "passed")).toBe(true);
      expect(await heldSlots()).toEqual([]);
    } finally {
      stack.refenv.faults.clear();
    }
  }, 120_000);
});

describe("abort", () => {
  it("aborting seed 000 while slots are held cancels the rest, still runs cleanup, and leaves no slot held", async () => {
    const commander = await makeUser(t.db, { role: "commander" });
    const ctx = { actor: commander.actor, db: t.db };
    const drill = await startDrill(ctx, { runbookSlug: SEED_000, environmentId: stack.environmentId });
    for (let i = 0; i < 600; i++) {
      const report = await getDrillReport(ctx, drill.id);
      if (report.items.some((it) => it.kind === "setup" && it.title.includes("Acquire a preview slot") && it.outcome === "passed")) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await expect(abortDrill(ctx, { drillId: drill.id })).rejects.toBeInstanceOf(ValidationError);
    await abortDrill(ctx, { drillId: drill.id, reason: "the drill host is needed for a real incident" });
    await drillSettled(drill.id);
    const report = await getDrillReport(ctx, drill.id);
    expect(report.drill.state).toBe("aborted");
    expect(report.drill).toMatchObject({ result: "failed", abortReason: "the drill host is needed for a real incident" });
    expect(report.drill.reason).toContain("the drill host is needed for a real incident");
    expect(report.drill.finishedAt).not.toBeNull();
    expect(report.items.filter((it) => it.kind === "cleanup").every((it) => it.outcome === "passed" || it.outcome === "skipped")).toBe(true);
    expect(report.items.some((it) => it.reason?.startsWith("Not run: the drill was aborted"))).toBe(true);
    // §6 never ran, so its databases were not this drill's to drop: whatever has those names is left alone.
    const removal = report.items.find((it) => it.kind === "cleanup" && it.title.includes("Remove app_preview_1"))!;
    expect(removal).toMatchObject({ outcome: "passed", output: expect.stringContaining("app_preview_1: left alone") });
    expect(await heldSlots()).toEqual([]);
    expect(await previewDatabases()).toEqual([]);
  }, 120_000);
});

describe("seed 001 as a drill against the reference environment", () => {
  it.each([
    [1, false],
    [2, true],
  ])("run %i in a row passes its command-ready sections (manual checks confirmed: %s); unattended, they are skipped with a reason", async (_run, confirm) => {
    const report = await runDrillToEnd(admin(), { runbook: SEED_001, env: "drill-reference", inputs: {}, confirmManual: confirm });
    const json = toJson(report);
    const failures = json.steps.filter((s) => s.outcome === "failed").map((s) => `${s.title}: ${s.reason}\n${s.output}`);
    expect(failures).toEqual([]);
    expect(json.result).toBe(confirm ? "passed" : "passed_with_skips");
    for (const id of ["bring-up-command-ready-1", "bring-up-command-ready-2", "stuck-slot-run-waiting-forever-1", "stuck-slot-run-waiting-forever-2", "stuck-slot-run-waiting-forever-3", "backend-restart-failed-for-a-slot-1", "backend-restart-failed-for-a-slot-3", "slot-migration-or-db-target-failure-1", "rollback-notes-1", "rollback-notes-2"]) {
      expect(byStep(json, id).map((s) => s.outcome), id).toEqual(["passed"]);
    }
    expect(byStep(json, "slot-migration-or-db-target-failure-1")[0].output).toContain("mode=dry-run");
    const manual = json.steps.filter((s) => s.kind === "manual");
    expect(manual.length).toBe(2);
    for (const m of manual) expect(m).toMatchObject(confirm ? { outcome: "passed" } : { outcome: "skipped", reason: expect.stringContaining("manual check") });
    expect(await heldSlots()).toEqual([]);
    expect(await previewDatabases()).toEqual([]);
  }, 120_000);
});

describe("prerequisites", () => {
  it("a host without createdb fails seed 000 §6's createdb with a prerequisite message, not a raw 'command not found'", async () => {
    const binDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-drills-path-"));
    const other = await startDrillStack(t.db, { name: "no-postgres", patch: (json) => (json.path = pathWithout(binDir, ["createdb", "dropdb"])) });
    try {
      const report = await runDrillToEnd(admin(), { runbook: SEED_000, env: "no-postgres", inputs: {} });
      const createdb = byStep(toJson(report), "6-failed-preview-reset-migration-drill-and-recovery-1")[0];
      expect(createdb.outcome).toBe("failed");
      expect(createdb.reason).toMatch(/^Prerequisite missing: This step needs the PostgreSQL client tools \(createdb\)/);
      expect(createdb.reason).not.toMatch(/command not found/i);
    } finally {
      await other.stop();
      fs.rmSync(binDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("driving, permissions, sign-off and audit", () => {
  async function environmentId() {
    return stack.environmentId;
  }

  it("viewers may not run or sign off drills; responders run but do not sign off", async () => {
    const viewer = await makeUser(t.db, { role: "viewer" });
    await expect(startDrill({ actor: viewer.actor, db: t.db }, { runbookSlug: "tiny", environmentId: await environmentId() })).rejects.toBeInstanceOf(ForbiddenError);
    const responder = await makeUser(t.db, { role: "responder" });
    const drill = await startDrill({ actor: responder.actor, db: t.db }, { runbookSlug: "tiny", environmentId: await environmentId(), mode: "step" });
    expect(drill.state).toBe("running");
    await expect(signOffDrill({ actor: responder.actor, db: t.db }, { drillId: drill.id, result: "pass" })).rejects.toBeInstanceOf(ForbiddenError);
    await abortDrill({ actor: responder.actor, db: t.db }, { drillId: drill.id, reason: "permissions test" });
    await drillSettled(drill.id);
    await expect(signOffDrill({ actor: viewer.actor, db: t.db }, { drillId: drill.id, result: "fail", notes: "x" })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("one item at a time: a manual check waits for a person, a failed step is retried with the first attempt kept, skips need notes to sign", async () => {
    const commander = await makeUser(t.db, { role: "commander" });
    const ctx = { actor: commander.actor, db: t.db };
    const drill = await startDrill(ctx, { runbookSlug: "tiny", environmentId: await environmentId(), mode: "step" });
    // Item 0 fails: the control API's health check is failing.
    stack.refenv.faults.set({ fault: "failing_health", surface: "control-api", on: true });
    await runNextItem(ctx, { drillId: drill.id });
    await drillSettled(drill.id);
    stack.refenv.faults.clear();
    let report = await getDrillReport(ctx, drill.id);
    expect(report.items[0].outcome).toBe("failed");
    expect(report.items[0].reason).toMatch(/503|control-api/);
    await retryItem(ctx, { drillId: drill.id, position: 0 });
    await drillSettled(drill.id);
    report = await getDrillReport(ctx, drill.id);
    expect(report.items[0]).toMatchObject({ attempt: 2, outcome: "passed" });
    expect(report.items[0].earlier).toEqual([expect.objectContaining({ attempt: 1, outcome: "failed" })]);
    await runNextItem(ctx, { drillId: drill.id });
    await drillSettled(drill.id);
    report = await getDrillReport(ctx, drill.id);
    expect(report.items[1]).toMatchObject({ kind: "manual", outcome: "waiting" });
    await pauseDrill(ctx, { drillId: drill.id });
    await expect(confirmManual(ctx, { drillId: drill.id, position: 1, passed: true, note: "dashboard green" })).resolves.toMatchObject({ state: "paused" });
    await resumeDrill(ctx, { drillId: drill.id });
    await drillSettled(drill.id);
    await skipItem(ctx, { drillId: drill.id, position: 2, reason: "reaping is covered by seed 001's drill" });
    await runNextItem(ctx, { drillId: drill.id });
    await drillSettled(drill.id);
    report = await getDrillReport(ctx, drill.id);
    expect(report.drill).toMatchObject({ state: "completed", result: "passed_with_skips" });
    expect(report.skips).toEqual([{ title: "Reap expired leases", by: commander.user.name, reason: "reaping is covered by seed 001's drill" }]);

    const err = await signOffDrill(ctx, { drillId: drill.id, result: "pass" }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fieldErrors.result[0]).toContain("skipped");
    const signed = await signOffDrill(ctx, { drillId: drill.id, result: "pass_with_notes", notes: "reap skipped on purpose" });
    expect(signed.validationId).toBeTruthy();
    const [row] = await t.db.select().from(runbookValidations).where(eq(runbookValidations.id, signed.validationId!));
    expect(row).toMatchObject({ validator: commander.user.name, environment: "drill-reference", result: "pass_with_notes", reportUrl: `/drills/${drill.id}` });
    const [runbook] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "tiny"));
    expect(displayStatus(runbook)).toBe("validated");
    await expect(signOffDrill(ctx, { drillId: drill.id, result: "pass_with_notes", notes: "again" })).rejects.toThrow(/already signed/);

    const actions = (await t.db.select().from(auditEntries).where(and(eq(auditEntries.targetType, "drill"), eq(auditEntries.targetId, drill.id)))).map((a) => a.action);
    for (const a of ["drill.start", "drill.item.finish", "drill.item.confirm", "drill.item.skip", "drill.pause", "drill.resume", "drill.finish", "drill.signoff"]) expect(actions).toContain(a);

    // Editing the runbook makes the validation stale.
    const [validated] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "tiny"));
    await saveRunbookRevision(ctx, { slug: "tiny", markdown: TINY + "\nOne more line.\n", changeNote: "edit after drill", version: validated.version });
    const [edited] = await t.db.select().from(runbooks).where(eq(runbooks.slug, "tiny"));
    expect(displayStatus(edited)).toBe("stale");
  }, 60_000);

  it("an admin can require that the signer is not the person who ran the drill", async () => {
    const a = await makeUser(t.db, { role: "commander" });
    const b = await makeUser(t.db, { role: "commander" });
    const adminUser = await makeUser(t.db, { role: "admin" });
    await expect(updateDrillSettings({ actor: a.actor, db: t.db }, { requireIndependentSigner: true })).rejects.toBeInstanceOf(ForbiddenError);
    await updateDrillSettings({ actor: adminUser.actor, db: t.db }, { requireIndependentSigner: true });
    try {
      const drill = await startDrill({ actor: a.actor, db: t.db }, { runbookSlug: "tiny", environmentId: await environmentId(), mode: "step" });
      await abortDrill({ actor: a.actor, db: t.db }, { drillId: drill.id, reason: "testing independent sign-off" });
      await drillSettled(drill.id);
      await expect(signOffDrill({ actor: a.actor, db: t.db }, { drillId: drill.id, result: "fail", notes: "aborted" })).rejects.toBeInstanceOf(ForbiddenError);
      const err = await signOffDrill({ actor: b.actor, db: t.db }, { drillId: drill.id, result: "pass" }).catch((e) => e);
      expect((err as ValidationError).fieldErrors?.result?.[0]).toContain("aborted");
      await expect(signOffDrill({ actor: b.actor, db: t.db }, { drillId: drill.id, result: "fail", notes: "aborted on purpose" })).resolves.toMatchObject({ result: "fail" });
    } finally {
      await updateDrillSettings({ actor: adminUser.actor, db: t.db }, { requireIndependentSigner: false });
    }
  }, 30_000);
});

describe("honest results", () => {
  it("a step that fails and is then skipped ends passed with skips, and the server refuses a plain pass", async () => {
    const commander = await makeUser(t.db, { role: "commander" });
    const ctx = { actor: commander.actor, db: t.db };
    const drill = await startDrill(ctx, { runbookSlug: "tiny", environmentId: stack.environmentId, mode: "step" });
    stack.refenv.faults.set({ fault: "failing_health", surface: "control-api", on: true });
    try {
      await runNextItem(ctx, { drillId: drill.id });
      await drillSettled(drill.id);
    } finally {
      stack.refenv.faults.clear();
    }
    expect((await getDrillReport(ctx, drill.id)).items[0].outcome).toBe("failed");
    await skipItem(ctx, { drillId: drill.id, position: 0, reason: "control health is checked by the readiness drill" });
    await confirmManual(ctx, { drillId: drill.id, position: 1, passed: true });
    await runNextItem(ctx, { drillId: drill.id });
    await drillSettled(drill.id);
    const report = await getDrillReport(ctx, drill.id);
    expect(report.drill).toMatchObject({ state: "completed", result: "passed_with_skips" });
    expect(report.items[0]).toMatchObject({ outcome: "skipped", attempt: 2, earlier: [expect.objectContaining({ outcome: "failed" })] });
    const err = await signOffDrill(ctx, { drillId: drill.id, result: "pass" }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fieldErrors.result[0]).toContain("passed with skips");
    await expect(signOffDrill(ctx, { drillId: drill.id, result: "pass_with_notes", notes: "health covered elsewhere" })).resolves.toMatchObject({ result: "pass_with_notes" });
  }, 60_000);
});

describe("leftovers of an earlier drill", () => {
  it("are found before the drill starts, listed, and removed only when the person confirms it (audited)", async () => {
    const { default: postgres } = await import("postgres");
    const sql = postgres(process.env.SITREP_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe("create database app_preview_2");
      const commander = await makeUser(t.db, { role: "commander" });
      const ctx = { actor: commander.actor, db: t.db };
      const err = await startDrill(ctx, { runbookSlug: SEED_000, environmentId: stack.environmentId }).catch((e) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.message).toContain("app_preview_2");
      expect(err.fieldErrors.leftovers).toEqual([expect.stringContaining("dropdb --if-exists -h 127.0.0.1 -U postgres app_preview_2")]);
      expect(await previewDatabases()).toEqual(["app_preview_2"]);

      const drill = await startDrill(ctx, { runbookSlug: SEED_000, environmentId: stack.environmentId, mode: "step", cleanLeftovers: true });
      expect(await previewDatabases()).toEqual([]);
      const [audit] = await t.db.select().from(auditEntries).where(eq(auditEntries.action, "drill.leftovers.remove"));
      expect(audit.after).toMatchObject({ removed: [expect.objectContaining({ name: "app_preview_2", outcome: "passed" })] });
      await abortDrill(ctx, { drillId: drill.id, reason: "only the leftover check was under test" });
      await drillSettled(drill.id);
    } finally {
      await sql.unsafe("drop database if exists app_preview_2");
      await sql.end();
    }
  }, 60_000);

  it("the agent checks the declaration against the exact database the command removes", async () => {
    const { createAgentClient } = await import("@/agent/client");
    const agent = createAgentClient({ url: stack.agent.url, agentId: "drill-drill-reference", secret: DRILL_AGENT_SECRET });
    const text = "dropdb --if-exists -h 127.0.0.1 -U postgres app_preview_1";
    const refused = (removes: Array<{ kind: string; name: string }>) => agent.check({ commands: [{ text }], removes }).then(() => "accepted", (e: { detail?: string }) => e.detail ?? String(e));
    expect(await refused([])).toContain('declares no postgres-database "app_preview_1"');
    expect(await refused([{ kind: "postgres-database", name: "app_preview_2" }])).toContain('declares no postgres-database "app_preview_1"');
    expect(await refused([{ kind: "release", name: "app_preview_1" }])).toContain("declares no postgres-database");
    expect(await refused([{ kind: "postgres-database", name: "app_preview_1" }])).toBe("accepted");
    // The allowlist's own pattern still applies to a declared name.
    const other = await agent.check({ commands: [{ text: "dropdb -h 127.0.0.1 -U postgres sitrep" }], removes: [{ kind: "postgres-database", name: "sitrep" }] }).catch((e: { detail?: string }) => e.detail);
    expect(other).toContain("does not match ^app_preview_[1-3]$");
  });

  it("a runbook step that says dropdb is refused by the host agent: removal runs only for a resource the drill declared", async () => {
    const markdown = "# Drop preview\n\n## Drop\n\n```bash\ndropdb --if-exists -h 127.0.0.1 -U postgres app_preview_3\n```\n";
    await importRunbooks(admin(), [{ name: "drop-preview.md", bytes: new TextEncoder().encode(markdown) }]);
    const report = await runDrillToEnd(admin(), { runbook: "drop-preview", env: "drill-reference", inputs: {} });
    const step = toJson(report).steps.find((s) => s.kind === "step")!;
    expect(step.outcome).toBe("failed");
    expect(step.reason).toContain("removes only what the plan declares it removes");
  }, 60_000);
});
