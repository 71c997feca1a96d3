import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, timelineEvents } from "@/db/schema";
import { makeUser, type TestDatabase } from "@/lib/testing";
import { startTriageStack, type TriageStack } from "@/lib/testing/triage-stack";
import { ForbiddenError } from "@/lib/errors";
import type { Actor } from "@/lib/actor";
import { runtimeApi } from "@/lib/runtime-api";
import type { Refenv } from "@/refenv";
import { changeStatus } from "@/lib/incidents/change-status";
import { readIncident } from "@/lib/incidents/record";
import { overrideRecovery, recoveryGate, validateRecovery } from "./index";

let database: TestDatabase;
let refenv: Refenv;
let commander: Actor;
let responder: Actor;
let viewer: Actor;
let environmentId: string;
let incidentId: string;
const OPTIONS = { sampleGapMs: 600 };

let stack: TriageStack;
beforeAll(async () => {
  stack = await startTriageStack("recovery", { tickMs: 20, seed: 3 });
  ({ database, refenv, commander, responder, viewer, environmentId, incidentId } = stack);
});
afterAll(async () => {
  await stack?.stop();
});

const ctx = (actor: Actor) => ({ actor, db: database.db });
const failing = (r: { results: { check: string; passed: boolean }[] }) => r.results.filter((x) => !x.passed).map((x) => x.check);

describe("recovery validation", () => {
  it("passes against a healthy reference environment, on the timeline and audited; refuses a viewer", async () => {
    await expect(validateRecovery(ctx(viewer), { incidentId, environmentId }, OPTIONS)).rejects.toBeInstanceOf(ForbiddenError);
    const check = await validateRecovery(ctx(responder), { incidentId, environmentId }, OPTIONS);
    expect(failing(check)).toEqual([]);
    expect(check.passed).toBe(true);
    expect(check.results.map((r) => r.check)).toEqual(["api_success_rate", "queue_depth_trend", "terminal_error_rate", "audit_anomalies", "smoke_flow"]);
    const events = await database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "recovery.validated")));
    expect(events[0].body).toMatch(/passed/);
    expect(await recoveryGate(database.db, incidentId)).toBeNull();
  });

  it("fails naming the terminal error rate with terminal_error_spike on", async () => {
    refenv.faults.set({ fault: "terminal_error_spike", on: true });
    const client = runtimeApi({ baseUrl: refenv.urls["runtime-api"] });
    for (let i = 0; i < 100 && ((await client.metrics()).signals.oris_runtime_terminal_error_rate ?? 0) <= 0.1; i++) await new Promise((r) => setTimeout(r, 100));
    const check = await validateRecovery(ctx(commander), { incidentId, environmentId }, OPTIONS);
    refenv.faults.set({ fault: "terminal_error_spike", on: false });
    expect(check.passed).toBe(false);
    expect(failing(check)).toContain("terminal_error_rate");
    expect(await recoveryGate(database.db, incidentId)).toMatch(/terminal_error_rate/);
  });

  it("fails naming the queue and the smoke flow with stalled_queue on", async () => {
    refenv.faults.set({ fault: "stalled_queue", on: true });
    const check = await validateRecovery(ctx(commander), { incidentId, environmentId }, OPTIONS);
    refenv.faults.set({ fault: "stalled_queue", on: false });
    expect(check.passed).toBe(false);
    expect(failing(check)).toEqual(expect.arrayContaining(["queue_depth_trend", "smoke_flow"]));
    const [event] = await database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "recovery.validated"))).orderBy(timelineEvents.seq);
    expect(event).toBeDefined();
  });

  it("gates resolving; a commander overrides the gate with a reason (audited); a responder cannot", async () => {
    const before = await readIncident(database.db, incidentId);
    const resolve = () => changeStatus(ctx(commander), { incidentId, to: "resolved", version: before.version });
    await expect(resolve()).rejects.toThrow(/recovery/i);
    await expect(overrideRecovery(ctx(responder), { incidentId, reason: "looks fine" })).rejects.toBeInstanceOf(ForbiddenError);
    await overrideRecovery(ctx(commander), { incidentId, reason: "fault was injected by a drill" });
    expect(await recoveryGate(database.db, incidentId)).toBeNull();
    expect((await resolve()).status).toBe("resolved");
    const audit = await database.db.select().from(auditEntries).where(and(eq(auditEntries.action, "recovery.override"), eq(auditEntries.targetId, incidentId)));
    expect(audit[0].actorEmail).toBe(commander.email);
  });
});
