import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { auditEntries, drills, environments, notifications, webhookDeliveries } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { listNotifications, markNotificationsRead, unreadCount } from "@/lib/notifications";
import { importRunbooks } from "@/lib/runbooks";
import { createSubscriber, deliverDue, verifySignature } from "@/lib/status/webhooks";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { runbookHealth } from "./health";
import { drillSettled, getDrillReport, listDrills, signOffDrill } from "./index";
import { parseSchedule } from "./schedule-spec";
import { saveSchedule, tick } from "./schedules";
import { startDrillStack, type DrillStack } from "./testing";

// Drills on a schedule, fired by a test clock: two scheduler instances on two separate connections
// to one PostgreSQL database tick at once and exactly one starts the drill; it runs unattended
// against a real reference environment and agent, records its report, marks the runbook, tells
// the owner in the console and the drill-event webhooks (a local receiver checks the signature).

const RUNBOOK = (owner: string) => `# Nightly check

**Owner:** ${owner}

## Check

1. Look at control health:
   - \`curl -fsS http://127.0.0.1:8000/health\`
2. Confirm the dashboard is green.
`;

let t: TestDatabase;
let second: Database;
let stack: DrillStack;
let receiver: http.Server;
let received: Array<{ event: string; body: string; signature: string }> = [];
let owner: Awaited<ReturnType<typeof makeUser>>;
const admin = () => ({ actor: systemActor(), db: t.db });
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDb({ driver: "postgres" });
  second = await openDatabase({ url: t.url!, migrate: false });
  stack = await startDrillStack(t.db, { name: "scheduled-env" });
  owner = await makeUser(t.db, { role: "responder" });
  await importRunbooks(admin(), [{ name: "nightly-check.md", bytes: new TextEncoder().encode(RUNBOOK(`Platform team (${owner.user.email})`)) }]);
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ event: String(req.headers["x-sitrep-event"]), body, signature: String(req.headers["x-sitrep-signature"]) });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
}, 60_000);
afterAll(async () => {
  receiver?.close();
  await stack?.stop();
  await second?.close();
  await t?.cleanup();
});

describe("schedules", () => {
  it("reads quarterly, every N days and cron; refuses anything else with a clear message", () => {
    const from = new Date("2026-11-29T10:00:00Z");
    expect(parseSchedule("quarterly").next(from).toISOString()).toBe("2027-01-01T06:00:00.000Z");
    expect(parseSchedule("every 30 days").next(from).toISOString()).toBe("2026-12-29T10:00:00.000Z");
    expect(parseSchedule("0 3 * * 1").next(from).toISOString()).toBe("2026-11-30T03:00:00.000Z");
    expect(() => parseSchedule("fortnightly")).toThrow(/Write "quarterly", "every N days", or a cron expression/);
    expect(() => parseSchedule("99 3 * * *")).toThrow(/Not a valid cron expression/);
  });

  it("admins set them (audited); others may not; production environments are refused", async () => {
    const commander = await makeUser(t.db, { role: "commander" });
    await expect(saveSchedule({ actor: commander.actor, db: t.db }, { runbookSlug: "nightly-check", schedule: "quarterly", environmentId: stack.environmentId })).rejects.toBeInstanceOf(ForbiddenError);
    const err = await saveSchedule(admin(), { runbookSlug: "nightly-check", schedule: "every other tuesday", environmentId: stack.environmentId }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.fieldErrors.schedule[0]).toMatch(/five fields/);
    const [prod] = await t.db.insert(environments).values({ name: "prod", kind: "production", controlBaseUrl: "http://127.0.0.1:9", runtimeBaseUrl: "http://127.0.0.1:9", production: true, createdBy: "t", updatedBy: "t" }).returning();
    await expect(saveSchedule(admin(), { runbookSlug: "nightly-check", environmentId: prod.id })).rejects.toThrow(/never against a production environment/);
    const saved = await saveSchedule(admin(), { runbookSlug: "nightly-check", environmentId: stack.environmentId }, new Date("2026-11-29T10:00:00Z"));
    expect(saved).toMatchObject({ schedule: "quarterly", nextRunAt: new Date("2027-01-01T06:00:00Z") });
    const [audit] = await t.db.select().from(auditEntries).where(eq(auditEntries.action, "drill.schedule.save"));
    expect(audit.after).toMatchObject({ schedule: "quarterly", environment: "scheduled-env" });
  });
});

describe("the scheduler", () => {
  it("fires once across two instances, runs unattended, records the report, marks the runbook and tells the owner and the drill webhooks", async () => {
    const start = new Date("2026-12-01T00:00:00Z");
    await saveSchedule(admin(), { runbookSlug: "nightly-check", schedule: "every 7 days", environmentId: stack.environmentId, version: 1 }, start);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const drillsHook = await createSubscriber(admin(), { url, description: "drills", topics: ["drills"] });
    await createSubscriber(admin(), { url: `${url}?status`, description: "status only" });

    // Not due yet: nothing starts.
    expect((await tick(t.db, new Date(start.getTime() + 6 * DAY))).started).toEqual([]);
    const at = new Date(start.getTime() + 7 * DAY + 1000);
    const [a, b] = await Promise.all([tick(t.db, at), tick(second.db, at)]);
    expect(a.started.length + b.started.length).toBe(1);
    const { drillId } = [...a.started, ...b.started][0];
    await drillSettled(drillId);
    const report = await getDrillReport(admin(), drillId);
    expect(report.drill).toMatchObject({ state: "completed", result: "passed_with_skips", trigger: "schedule", unattended: true, startedByName: "Sitrep scheduler" });
    expect(report.items.find((i) => i.kind === "manual")).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("nobody follows this drill") });
    expect((await t.db.select().from(drills)).filter((d) => d.trigger === "schedule")).toHaveLength(1);

    // Never signs itself off: the runbook shows "drill passed, awaiting sign-off".
    let health = (await runbookHealth(t.db, ["nightly-check"]))["nightly-check"];
    expect(health).toMatchObject({ status: "draft", mark: "awaiting-signoff", lastDrill: { id: drillId, result: "passed_with_skips", label: "passed with skips", scheduled: true, signedOff: null } });
    const ownerCtx = { actor: owner.actor, db: t.db };
    expect(await listNotifications(ownerCtx)).toEqual([expect.objectContaining({ kind: "drill.scheduled.passed", recipientId: owner.user.id, link: `/drills/${drillId}`, read: false })]);
    expect(await unreadCount(ownerCtx)).toBe(1);
    await markNotificationsRead(ownerCtx, { all: true });
    expect(await unreadCount(ownerCtx)).toBe(0);

    // Drill events go only to subscribers of drill events, signed like every webhook.
    const queued = await t.db.select().from(webhookDeliveries);
    expect(queued.map((d) => [d.subscriberId, d.event])).toEqual([[drillsHook.subscriber.id, "drill.scheduled.passed"]]);
    await deliverDue(t.db);
    expect(received).toHaveLength(1);
    expect(verifySignature(drillsHook.secret, received[0].body, received[0].signature)).toBe(true);
    expect(JSON.parse(received[0].body)).toMatchObject({ event: "drill.scheduled.passed", data: { drill: { id: drillId, result: "passed_with_skips" }, runbook: { slug: "nightly-check" } } });

    // Next due run, against a failing control API: red → "failing", the owner is told.
    stack.refenv.faults.set({ fault: "failing_health", surface: "control-api", on: true });
    try {
      const next = await tick(second.db, new Date(at.getTime() + 7 * DAY + 1000));
      expect(next.started).toHaveLength(1);
      await drillSettled(next.started[0].drillId);
    } finally {
      stack.refenv.faults.clear();
    }
    health = (await runbookHealth(t.db, ["nightly-check"]))["nightly-check"];
    expect(health).toMatchObject({ mark: "failing", lastDrill: { result: "failed" } });
    expect((await listNotifications(ownerCtx))[0]).toMatchObject({ kind: "drill.scheduled.failed", title: expect.stringContaining("failing"), read: false });
    // Group notifications (owner without an account) would go to signers; this one is the owner's alone.
    const viewer = await makeUser(t.db, { role: "viewer" });
    expect(await listNotifications({ actor: viewer.actor, db: t.db })).toEqual([]);

    // History per runbook: date, revision, environment, result, duration, who signed off.
    const signer = await makeUser(t.db, { role: "commander" });
    await signOffDrill({ actor: signer.actor, db: t.db }, { drillId, result: "pass_with_notes", notes: "dashboard checked by hand" });
    const history = await listDrills(admin(), { runbookSlug: "nightly-check" });
    expect(history.map((h) => [h.result, h.trigger, h.signoff, h.signedByName])).toEqual([
      ["failed", "schedule", null, null],
      ["passed_with_skips", "schedule", "pass_with_notes", signer.user.name],
    ]);
    expect(history[1]).toMatchObject({ revisionNumber: 1, environmentName: "scheduled-env", durationMs: expect.any(Number) });
    const [started] = await t.db.select().from(notifications).where(and(eq(notifications.kind, "drill.scheduled.passed")));
    expect(started.addressedTo).toContain(owner.user.email);
  }, 120_000);

  it("a due drill that cannot start is recorded on the schedule and told to the owner", async () => {
    const [env] = await t.db.select().from(environments).where(eq(environments.name, "scheduled-env"));
    await importRunbooks(admin(), [{ name: "needs-input.md", bytes: new TextEncoder().encode("# Needs input\n\n## Step\n\n```bash\n./scripts/rollback.sh <release_id>\n```\n") }]);
    await saveSchedule(admin(), { runbookSlug: "needs-input", schedule: "every 1 day", environmentId: env.id }, new Date("2026-12-01T00:00:00Z"));
    const result = await tick(t.db, new Date("2026-12-03T00:00:00Z"));
    expect(result.failed).toEqual([{ runbookSlug: "needs-input", error: expect.stringContaining("inputs") }]);
  });
});
