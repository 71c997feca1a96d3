import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, auditEntries, signalSamples, stepExecutions, timelineEvents, triggerRules, triggerStates, type Environment } from "@/db/schema";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { ForbiddenError } from "@/lib/errors";
import type { Actor } from "@/lib/actor";
import { addSurface, createEnvironment, pollEnvironmentHealth } from "@/lib/environments";
import { findEnvironment } from "@/lib/environments/queries";
import { scrapeEnvironment, signalSeries, startScraper } from "@/lib/signals";
import { startRefenv, type Refenv } from "@/refenv";
import { declareFromAlert } from "@/lib/alerts";
import { activeTriggers, evaluateTriggers, listRules, playbookOfIncident, updateRule } from "./index";

const INTERVAL_MS = 300;
let database: TestDatabase;
let refenv: Refenv;
let dir: string;
let admin: Actor;
let commander: Actor;
let responder: Actor;
let viewer: Actor;
let environment: Environment;

beforeAll(async () => {
  database = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-triggers-"));
  refenv = await startRefenv({ basePort: 0, stateDir: dir, adminToken: "t", tickMs: 40, seed: 7 });
  admin = (await makeUser(database.db, { role: "admin" })).actor;
  commander = (await makeUser(database.db, { role: "commander" })).actor;
  responder = (await makeUser(database.db, { role: "responder" })).actor;
  viewer = (await makeUser(database.db, { role: "viewer" })).actor;
  const created = await createEnvironment({ actor: admin, db: database.db }, { name: "ref", kind: "reference", controlBaseUrl: refenv.urls["control-api"], runtimeBaseUrl: refenv.urls["runtime-api"] });
  environment = (await findEnvironment(database.db, created.id))!;
});
afterAll(async () => {
  await refenv.stop();
  await database.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const scrapeAndEvaluate = async () => {
  const result = await scrapeEnvironment(database.db, environment);
  expect(result.ok).toBe(true);
  return evaluateTriggers(database.db, environment.id, result.at);
};
const firing = async (key: string) => (await activeTriggers(database.db)).find((t) => t.ruleKey === key && t.environmentId === environment.id)?.firing ?? false;

describe("signals", () => {
  it("stores the five key signals, backpressure by reason, on the scraper's interval", async () => {
    const scraper = startScraper(async () => database.db, { intervalMs: INTERVAL_MS });
    let series = await signalSeries(database.db, environment.id, new Date(Date.now() - 60_000));
    for (let waited = 0; waited < 15_000 && (series[0]?.points.length ?? 0) < 2; waited += INTERVAL_MS) {
      await sleep(INTERVAL_MS);
      series = await signalSeries(database.db, environment.id, new Date(Date.now() - 60_000));
    }
    scraper.stop();
    const metrics = new Set(series.map((s) => s.metric));
    for (const m of ["oris_runtime_queue_depth", "oris_runtime_lease_conflict_rate", "oris_runtime_recovery_latency_ms", "oris_runtime_backpressure_total", "oris_runtime_terminal_error_rate"]) expect(metrics).toContain(m);
    const reasons = series.filter((s) => s.metric === "oris_runtime_backpressure_total").map((s) => s.reason).sort();
    expect(reasons).toEqual(["tenant_limit", "worker_limit"]);
    expect(series[0].points.length).toBeGreaterThanOrEqual(2);
  });

  it("records a failed scrape when the runtime API is unreachable", async () => {
    const gone = { ...environment, runtimeBaseUrl: "http://127.0.0.1:9" };
    const result = await scrapeEnvironment(database.db, gone);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/runtime API/);
  });
});

describe("queue depth rising, no dispatch", () => {
  it("fires within two scrape intervals of the stalled-queue fault and clears when it is off", async () => {
    // Judged over a whole scrape interval, as the scraper would: two scrapes a few milliseconds
    // apart (the previous test's last one and this) can see no job completed on a busy machine.
    await sleep(INTERVAL_MS);
    await scrapeAndEvaluate();
    expect(await firing("queue_no_dispatch")).toBe(false);
    refenv.faults.set({ fault: "stalled_queue", on: true });
    let fired = false;
    for (let i = 0; i < 2 && !fired; i++) {
      await sleep(INTERVAL_MS);
      await scrapeAndEvaluate();
      fired = await firing("queue_no_dispatch");
    }
    expect(fired).toBe(true);
    const [t] = (await activeTriggers(database.db)).filter((x) => x.ruleKey === "queue_no_dispatch");
    expect(t.suggestedSeverity).toBe("SEV2");
    expect(t.playbook).toBe("Queue depth rising, no dispatch");
    expect(Number(t.data.queueDepth)).toBeGreaterThan(0);

    refenv.faults.set({ fault: "stalled_queue", on: false });
    let cleared = false;
    for (let i = 0; i < 3 && !cleared; i++) {
      await sleep(INTERVAL_MS);
      await scrapeAndEvaluate();
      cleared = !(await firing("queue_no_dispatch"));
    }
    expect(cleared).toBe(true);
    const [after] = (await activeTriggers(database.db)).filter((x) => x.ruleKey === "queue_no_dispatch");
    expect(after.firing).toBe(false);
    expect(after.clearedAt).not.toBeNull();
  });

  it("a firing rule is an alert: declared from it pre-filled, the alert attached and on the timeline; a viewer is refused", async () => {
    refenv.faults.set({ fault: "stalled_queue", on: true });
    for (let i = 0; i < 3 && !(await firing("queue_no_dispatch")); i++) {
      await sleep(INTERVAL_MS);
      await scrapeAndEvaluate();
    }
    refenv.faults.set({ fault: "stalled_queue", on: false });
    const [alert] = await database.db.select().from(alerts).where(and(eq(alerts.fingerprint, `sitrep:queue_no_dispatch:${environment.id}`), eq(alerts.status, "firing")));
    expect(alert).toMatchObject({ name: "queue_no_dispatch", title: "Queue depth rising, no dispatch", severity: "warning" });
    expect(alert.labels).toMatchObject({ environment: "ref", surface: "worker" });
    await expect(declareFromAlert({ actor: viewer, db: database.db }, { alertId: alert.id })).rejects.toBeInstanceOf(ForbiddenError);
    const incident = await declareFromAlert({ actor: commander, db: database.db }, { alertId: alert.id });
    expect(incident.severity).toBe("SEV2");
    expect(incident.surfaces).toEqual(["worker"]);
    const events = await database.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incident.id));
    expect(events.filter((e) => e.kind === "alert.declared")).toHaveLength(1);
    expect(events.filter((e) => e.kind === "alert.fired").map((e) => (e.payload as { alertId: string }).alertId)).toEqual([alert.id]);
    expect(await playbookOfIncident(database.db, incident.id)).toBe("Queue depth rising, no dispatch");
    const audit = await database.db.select().from(auditEntries).where(and(eq(auditEntries.action, "alert.declare"), eq(auditEntries.targetId, incident.id)));
    expect(audit).toHaveLength(1);
  });
});

describe("execution API returns repeated 5xx", () => {
  it("fires when 5xx answers pile up between scrapes under the 5xx_burst fault, clears after", async () => {
    await scrapeAndEvaluate();
    refenv.faults.set({ fault: "5xx_burst", on: true });
    for (let i = 0; i < 10; i++) await fetch(`${refenv.urls["runtime-api"]}/v1/jobs?limit=1`).then((r) => r.arrayBuffer());
    await scrapeAndEvaluate();
    expect(await firing("api_5xx")).toBe(true);
    const [t] = (await activeTriggers(database.db)).filter((x) => x.ruleKey === "api_5xx");
    expect(t.suggestedSeverity).toBe("SEV1");
    expect(Number(t.data.http5xxSinceLastScrape)).toBeGreaterThanOrEqual(3);
    refenv.faults.set({ fault: "5xx_burst", on: false });
    await scrapeAndEvaluate();
    expect(await firing("api_5xx")).toBe(false);
  });
});

describe("rules", () => {
  it("an admin tunes a rule (audited); others are refused", async () => {
    const rule = (await listRules(database.db)).find((r) => r.key === "recovery_latency")!;
    expect(rule.durationMs).toBe(600_000);
    await expect(updateRule({ actor: commander, db: database.db }, { id: rule.id, version: rule.version, durationMs: 1000 })).rejects.toBeInstanceOf(ForbiddenError);
    const updated = await updateRule({ actor: admin, db: database.db }, { id: rule.id, version: rule.version, durationMs: 1000 });
    expect(updated.durationMs).toBe(1000);
    const audit = await database.db.select().from(auditEntries).where(and(eq(auditEntries.action, "trigger.rule.update"), eq(auditEntries.targetId, rule.id)));
    expect(audit[0].actorEmail).toBe(admin.email);
    const [row] = await database.db.select().from(triggerRules).where(eq(triggerRules.id, rule.id));
    expect(row.version).toBe(2);
  });

  it("a rule with a duration fires only once the condition held that long", async () => {
    const rule = (await listRules(database.db)).find((r) => r.key === "terminal_error_rate")!;
    await updateRule({ actor: admin, db: database.db }, { id: rule.id, version: rule.version, durationMs: 60_000, threshold: 0 });
    const t0 = new Date();
    await database.db.insert(signalSamples).values({ environmentId: environment.id, metric: "oris_runtime_terminal_error_rate", value: 0.5, scrapedAt: t0 });
    await evaluateTriggers(database.db, environment.id, t0);
    expect(await firing("terminal_error_rate")).toBe(false);
    const later = new Date(t0.getTime() + 61_000);
    await database.db.insert(signalSamples).values({ environmentId: environment.id, metric: "oris_runtime_terminal_error_rate", value: 0.5, scrapedAt: later });
    const changes = await evaluateTriggers(database.db, environment.id, later);
    expect(changes.map((c) => c.ruleKey)).toContain("terminal_error_rate");
  });
});

describe("recovery latency over threshold", () => {
  it("fires once the refenv's real recovery latency stayed over the threshold for the rule's duration", async () => {
    await scrapeAndEvaluate();
    const [latest] = (await signalSeries(database.db, environment.id, new Date(Date.now() - 60_000))).filter((x) => x.metric === "oris_runtime_recovery_latency_ms");
    const baseline = latest.points[latest.points.length - 1].value;
    const rule = (await listRules(database.db)).find((r) => r.key === "recovery_latency")!;
    await updateRule({ actor: admin, db: database.db }, { id: rule.id, version: rule.version, threshold: baseline + 150, durationMs: 400 });
    // A stalled queue leaves requeued jobs waiting: recovery latency climbs (refenv/runtime.ts).
    refenv.faults.set({ fault: "stalled_queue", on: true });
    try {
      for (let i = 0; i < 60 && !(await firing("recovery_latency")); i++) {
        await sleep(100);
        await scrapeAndEvaluate();
      }
      expect(await firing("recovery_latency")).toBe(true);
      // It fired only after the condition had held for the rule's duration.
      const [state] = await database.db.select().from(triggerStates).where(and(eq(triggerStates.environmentId, environment.id), eq(triggerStates.ruleId, rule.id)));
      expect(state.firingSince!.getTime() - state.pendingSince!.getTime()).toBeGreaterThanOrEqual(400);
      const [t] = (await activeTriggers(database.db)).filter((x) => x.ruleKey === "recovery_latency");
      expect(Number(t.data.recoveryLatencyMs)).toBeGreaterThan(baseline + 150);
      expect(t.playbook).toBe("Sustained backpressure");
    } finally {
      refenv.faults.set({ fault: "stalled_queue", on: false });
    }
    // An admin raising the threshold above what is seen clears it on the next evaluation.
    const tuned = (await listRules(database.db)).find((r) => r.key === "recovery_latency")!;
    await updateRule({ actor: admin, db: database.db }, { id: tuned.id, version: tuned.version, threshold: 10_000_000 });
    await scrapeAndEvaluate();
    expect(await firing("recovery_latency")).toBe(false);
  });
});

describe("health check failing after a deploy", () => {
  it("fires when a surface is down within the window after a deploy or rollback step, not otherwise", async () => {
    const worker = refenv.surfaces.find((x) => x.id === "worker")!;
    await addSurface({ actor: admin, db: database.db }, { environmentId: environment.id, name: "Worker", healthUrl: worker.healthUrl, port: worker.port });
    refenv.faults.set({ fault: "failing_health", surface: "worker", on: true });
    try {
      await pollEnvironmentHealth(database.db, environment.id);
      // Down, but nothing was deployed: not this rule.
      await evaluateTriggers(database.db, environment.id);
      expect(await firing("health_after_deploy")).toBe(false);

      // A rollback step ran five minutes ago (a fixture row in the executor's shape; lib/executions'
      // own tests run steps on a real agent).
      const [run] = await database.db
        .insert(stepExecutions)
        .values({
          runbookSlug: "operator-incident",
          stepId: "5-rollback-1",
          stepTitle: "Roll back to the previous release",
          kind: "shell",
          source: "./scripts/rollback.sh rel-41",
          ran: [],
          environmentId: environment.id,
          environmentName: environment.name,
          state: "succeeded",
          startedAt: new Date(Date.now() - 5 * 60_000),
          startedBy: admin.userId,
          startedByEmail: admin.email,
        })
        .returning();
      await evaluateTriggers(database.db, environment.id);
      expect(await firing("health_after_deploy")).toBe(true);
      const [t] = (await activeTriggers(database.db)).filter((x) => x.ruleKey === "health_after_deploy");
      expect(t.data).toMatchObject({ downSurfaces: ["Worker"], deployExecutionId: run.id, deployStep: "Roll back to the previous release" });
      expect(t.suggestedSeverity).toBe("SEV1");

      // Thirty minutes after the rollback (the default window) the same outage is no longer "after a deploy".
      await evaluateTriggers(database.db, environment.id, new Date(Date.now() + 26 * 60_000));
      expect(await firing("health_after_deploy")).toBe(false);
      await evaluateTriggers(database.db, environment.id);
      expect(await firing("health_after_deploy")).toBe(true);
    } finally {
      refenv.faults.set({ fault: "failing_health", surface: "worker", on: false });
    }
    // The surface comes back: it clears.
    await pollEnvironmentHealth(database.db, environment.id);
    await evaluateTriggers(database.db, environment.id);
    expect(await firing("health_after_deploy")).toBe(false);
  });
});
