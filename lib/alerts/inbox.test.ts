import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/db/client";
import { alerts, auditEntries, incidents, timelineEvents } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { makeIncident } from "@/lib/incidents/test-fixtures";
import { validateRecovery } from "@/lib/recovery";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import {
  acknowledgeAlert,
  attachAlert,
  autoDeclareTick,
  createRoutingRule,
  createSource,
  incidentAlerts,
  listInbox,
  listRoutingRules,
  moveRoutingRule,
  receiveWebhook,
  silenceAlert,
} from "./index";
import { alertmanagerPayload, type AmAlert } from "./testing/payloads";

let database: TestDatabase;
let admin: Actor;
let commander: Actor;
let responder: Actor;
let viewer: Actor;
let sourceId: string;
let token: string;

beforeAll(async () => {
  database = await createTestDb();
  [admin, commander, responder, viewer] = await Promise.all((["admin", "commander", "responder", "viewer"] as const).map(async (role) => (await makeUser(database.db, { role })).actor));
  const made = await createSource({ actor: admin, db: database.db }, { name: "am", kind: "alertmanager", authMode: "bearer" });
  sourceId = made.source.id;
  token = made.secret;
});
afterAll(async () => database.cleanup());

const send = async (list: AmAlert[], group: Record<string, string>, db = database.db) => {
  const answer = await receiveWebhook(db, { sourceId, headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json" }), rawBody: JSON.stringify(alertmanagerPayload(list, group)) });
  expect(answer.status).toBe(200);
  return answer.body;
};
const alertNamed = async (name: string) => (await database.db.select().from(alerts).where(and(eq(alerts.name, name), eq(alerts.status, "firing"))))[0];
const ctx = (actor: Actor) => ({ actor, db: database.db });

describe("inbox actions", () => {
  it("orders firing groups by severity, then age; acknowledging is for responders and up, audited", async () => {
    await send([{ labels: { alertname: "DiskFilling", severity: "warning", host: "h1" }, startsAt: "2026-01-01T00:00:00Z" }], { alertname: "DiskFilling" });
    await send([{ labels: { alertname: "ApiDown", severity: "critical", host: "h1" }, startsAt: "2026-01-01T01:00:00Z" }], { alertname: "ApiDown" });
    await send([{ labels: { alertname: "ApiSlow", severity: "critical", host: "h1" }, startsAt: "2026-01-01T00:30:00Z" }], { alertname: "ApiSlow" });
    const inbox = await listInbox(database.db);
    expect(inbox.groups.map((g) => g.labels.alertname)).toEqual(["ApiSlow", "ApiDown", "DiskFilling"]);
    const disk = await alertNamed("DiskFilling");
    await expect(acknowledgeAlert(ctx(viewer), { alertId: disk.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await acknowledgeAlert(ctx(responder), { alertId: disk.id })).toEqual({ acknowledged: 1 });
    const [audit] = await database.db.select().from(auditEntries).where(and(eq(auditEntries.action, "alert.acknowledge"), eq(auditEntries.targetId, disk.id)));
    expect(audit.actorEmail).toBe(responder.email);
  });

  it("silencing a group moves it after the ones that need someone, until the silence ends", async () => {
    const slow = await alertNamed("ApiSlow");
    await expect(silenceAlert(ctx(responder), { alertId: slow.id, durationMinutes: 30, comment: "known", alsoInAlertmanager: "on" })).rejects.toBeInstanceOf(ValidationError);
    await silenceAlert(ctx(responder), { alertId: slow.id, durationMinutes: 30, comment: "known, fix deploying" });
    const inbox = await listInbox(database.db);
    expect(inbox.groups.map((g) => [g.labels.alertname, g.silenced])).toEqual([["ApiDown", false], ["DiskFilling", false], ["ApiSlow", true]]);
    const later = await listInbox(database.db, { now: new Date(Date.now() + 31 * 60_000) });
    expect(later.groups.find((g) => g.labels.alertname === "ApiSlow")?.silenced).toBe(false);
  });

  it("attaching puts the alert on the incident's timeline; its resolution follows; recovery waits N minutes after the last one", async () => {
    const incident = await makeIncident(database.db, commander);
    const down = await alertNamed("ApiDown");
    await expect(attachAlert(ctx(viewer), { alertId: down.id, incidentId: incident.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await attachAlert(ctx(responder), { alertId: down.id, incidentId: incident.id })).toMatchObject({ attached: 1 });
    await expect(attachAlert(ctx(responder), { alertId: down.id, incidentId: incident.id })).rejects.toBeInstanceOf(ValidationError);
    let state = await incidentAlerts(database.db, incident.id);
    expect(state).toMatchObject({ firing: 1, resolved: 0 });
    const firingCheck = await validateRecovery(ctx(commander), { incidentId: incident.id });
    expect(firingCheck.results).toEqual([expect.objectContaining({ check: "alerts_resolved", passed: false })]);

    await send([{ status: "resolved", labels: { alertname: "ApiDown", severity: "critical", host: "h1" }, startsAt: "2026-01-01T01:00:00Z", endsAt: new Date().toISOString() }], { alertname: "ApiDown" });
    state = await incidentAlerts(database.db, incident.id);
    expect(state).toMatchObject({ firing: 0, resolved: 1 });
    const kinds = (await database.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incident.id))).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["alert.attached", "alert.fired", "alert.resolved"]));

    const tooSoon = await validateRecovery(ctx(commander), { incidentId: incident.id, alertsQuietMinutes: 10 }, { now: new Date(Date.now() + 5 * 60_000) });
    expect(tooSoon.passed).toBe(false);
    expect(tooSoon.results[0].detail).toMatch(/resolved for 5 min \(need 10 min\)/);
    const quiet = await validateRecovery(ctx(commander), { incidentId: incident.id, alertsQuietMinutes: 10 }, { now: new Date(Date.now() + 11 * 60_000) });
    expect(quiet.passed).toBe(true);
  });
});

describe("routing rules and auto-declare", () => {
  it("admins order rules; the first match suggests the SEV", async () => {
    await expect(createRoutingRule(ctx(commander), { name: "x", matchers: "severity=critical", suggestedSeverity: "SEV1" })).rejects.toBeInstanceOf(ForbiddenError);
    await createRoutingRule(ctx(admin), { name: "Disks are SEV3", matchers: "alertname=~Disk.*", suggestedSeverity: "SEV3", owner: "storage" });
    const pages = await createRoutingRule(ctx(admin), { name: "Critical pages", matchers: "severity=critical, team!=sandbox", suggestedSeverity: "SEV1", surfaces: "execution API", autoDeclare: "on", autoDeclareAfterMinutes: 5 });
    const inbox = await listInbox(database.db);
    expect(inbox.groups.find((g) => g.labels.alertname === "DiskFilling")!.alerts[0].routing).toMatchObject({ suggestedSeverity: "SEV3", owner: "storage" });
    await moveRoutingRule(ctx(admin), { id: pages.id, version: pages.version, direction: "up" });
    expect((await listRoutingRules(database.db)).map((r) => r.name)).toEqual(["Critical pages", "Disks are SEV3"]);
  });

  it("a critical alert held 5 minutes (test clock) declares exactly one SEV1, by Sitrep, even with two console instances on one PostgreSQL ticking at once", async () => {
    // Two instances share one PostgreSQL (whatever this run's driver): each has its own connection pool.
    const shared = await createTestDb({ driver: "postgres" });
    const second: Database = await openDatabase({ url: shared.url!, migrate: false });
    try {
      const { actor: boss } = await makeUser(shared.db, { role: "admin" });
      const made = await createSource({ actor: boss, db: shared.db }, { name: "am", kind: "alertmanager", authMode: "bearer" });
      await createRoutingRule({ actor: boss, db: shared.db }, { name: "Critical pages", matchers: "severity=critical", suggestedSeverity: "SEV1", surfaces: "execution API", autoDeclare: "on", autoDeclareAfterMinutes: 5 });
      const start = new Date(Date.now() - 60_000);
      const body = alertmanagerPayload([{ labels: { alertname: "QueueStalled", severity: "critical", instance: "w1" }, startsAt: start.toISOString() }, { labels: { alertname: "QueueStalled", severity: "critical", instance: "w2" }, startsAt: start.toISOString() }], { alertname: "QueueStalled" });
      const answer = await receiveWebhook(shared.db, { sourceId: made.source.id, headers: new Headers({ authorization: `Bearer ${made.secret}`, "content-type": "application/json" }), rawBody: JSON.stringify(body) });
      expect(answer.status).toBe(200);

      expect(await autoDeclareTick(shared.db, new Date(start.getTime() + 4 * 60_000))).toEqual([]);
      const at = new Date(start.getTime() + 5 * 60_000 + 1);
      const [a, b] = await Promise.all([autoDeclareTick(shared.db, at), autoDeclareTick(second.db, at)]);
      const declared = [...a, ...b];
      expect(declared).toHaveLength(1);
      expect(await autoDeclareTick(second.db, new Date(at.getTime() + 60_000))).toEqual([]);
      expect(await shared.db.select().from(incidents)).toHaveLength(1);
      const [incident] = await shared.db.select().from(incidents).where(eq(incidents.id, declared[0].id));
      expect(incident).toMatchObject({ severity: "SEV1", commanderId: null, declaredBy: null, surfaces: ["execution API"] });
      const attachedRows = await shared.db.select().from(alerts).where(eq(alerts.incidentId, incident.id));
      expect(attachedRows.map((r) => r.labels.instance).sort()).toEqual(["w1", "w2"]);
      const events = await shared.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, incident.id));
      const auto = events.find((e) => e.kind === "alert.auto_declared")!;
      expect(auto.actorName).toBe("Sitrep");
      expect(auto.body).toMatch(/Critical pages/);
      expect(events.find((e) => e.kind === "incident.declared")!.body).toMatch(/Commander: to be assigned/);
      const [audit] = await shared.db.select().from(auditEntries).where(and(eq(auditEntries.action, "alert.auto_declare"), eq(auditEntries.targetId, incident.id)));
      expect(audit.actorEmail).toBe("system@sitrep");
    } finally {
      await second.close();
      await shared.cleanup();
    }
  });
});
