import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEntries } from "@/db/schema/audit";
import { timelineEvents } from "@/db/schema/incidents";
import { statusComponentStates, statusSettings, webhookAttempts, webhookDeliveries } from "@/db/schema/status";
import { verifyAuditChain } from "@/lib/audit";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { addNote, assignRole, ensureIncidentDefaults } from "@/lib/incidents";
import { makeIncident } from "@/lib/incidents/test-fixtures";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { environmentSurfaces, environments } from "@/db/schema/environments";
import {
  archiveComponent,
  cancelMaintenance,
  createComponent,
  editComponent,
  getStatusAdmin,
  removeSubscriber,
  createSubscriber,
  deliverDue,
  discardDraft,
  ensureStatusDefaults,
  getIncidentStatusPanel,
  latestSnapshot,
  nextUpdateDue,
  publishComponentState,
  publishDraft,
  saveUpdate,
  scheduleMaintenance,
  setSubscriberActive,
  updateCadence,
  updateStatusSettings,
  updateTemplate,
  verifySignature,
  UPDATE_PUBLISHED_EVENT,
} from "./index";
import { deriveView, renderAtom, renderJson, renderStatusPage } from "./render";

let db: TestDatabase;
type U = Awaited<ReturnType<typeof makeUser>>;
let admin: U, commander: U, responder: U, responder2: U, viewer: U;
const ctx = (u: U) => ({ actor: u.actor, db: db.db });

beforeAll(async () => {
  db = await createTestDb();
  await ensureIncidentDefaults(db.db);
  await ensureStatusDefaults(db.db);
  admin = await makeUser(db.db, { role: "admin", name: "Ada Admin" });
  commander = await makeUser(db.db, { role: "commander", name: "Corin Commander" });
  responder = await makeUser(db.db, { role: "responder", name: "Rowan Responder" });
  responder2 = await makeUser(db.db, { role: "responder", name: "Sasha Second" });
  viewer = await makeUser(db.db, { role: "viewer", name: "Vic Viewer" });
});
afterAll(async () => {
  await db?.cleanup();
});

async function audited(action: string, targetId?: string) {
  const where = targetId ? and(eq(auditEntries.action, action), eq(auditEntries.targetId, targetId)) : eq(auditEntries.action, action);
  return db.db.select().from(auditEntries).where(where);
}

async function settingsVersion() {
  const [row] = await db.db.select({ version: statusSettings.version }).from(statusSettings).where(eq(statusSettings.id, 1));
  return row.version;
}

describe("settings", () => {
  it("an admin changes the title and requires sign-in; audited; the snapshot follows", async () => {
    const row = await updateStatusSettings(ctx(admin), { version: await settingsVersion(), title: "Acme status", description: "", requireSignIn: "on", environmentIds: [] });
    expect(row.requireSignIn).toBe(true);
    const snapshot = await latestSnapshot(db.db);
    expect(snapshot!.page.title).toBe("Acme status");
    expect(snapshot!.access.requireSignIn).toBe(true);
    expect(await audited("status.settings.update")).toHaveLength(1);
    await updateStatusSettings(ctx(admin), { version: row.version, title: "Acme status", requireSignIn: false, environmentIds: [] });
  });

  it("is refused to a commander", async () => {
    await expect(updateStatusSettings(ctx(commander), { version: 1, title: "x", requireSignIn: false, environmentIds: [] })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

let api: { id: string; version: number };
let workers: { id: string; version: number };

describe("components", () => {
  it("an admin creates components; duplicates are refused by name; audited", async () => {
    api = await createComponent(ctx(admin), { name: "Public API", groupName: "Core", description: "Requests to the API" });
    workers = await createComponent(ctx(admin), { name: "Job processing", groupName: "Core", position: 1 });
    await expect(createComponent(ctx(admin), { name: "Public API" })).rejects.toBeInstanceOf(ValidationError);
    expect(await audited("status.component.create", api.id)).toHaveLength(1);
    const snapshot = await latestSnapshot(db.db);
    expect(snapshot!.components.map((c) => c.name)).toEqual(["Public API", "Job processing"]);
  });

  it("is refused to a commander", async () => {
    await expect(createComponent(ctx(commander), { name: "Nope" })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("a commander publishes a component state; who published is kept; a stale version conflicts; audited", async () => {
    const change = await publishComponentState(ctx(commander), { componentId: workers.id, version: workers.version, state: "degraded" });
    expect(change).toMatchObject({ before: "operational", after: "degraded" });
    const rows = await db.db.select().from(statusComponentStates).where(eq(statusComponentStates.componentId, workers.id));
    expect(rows.at(-1)).toMatchObject({ state: "degraded", publishedBy: commander.user.id });
    await expect(publishComponentState(ctx(commander), { componentId: workers.id, version: workers.version, state: "operational" })).rejects.toBeInstanceOf(ConflictError);
    await publishComponentState(ctx(commander), { componentId: workers.id, version: workers.version + 1, state: "operational" });
    workers = { ...workers, version: workers.version + 2 };
    expect(await audited("status.component.state", workers.id)).toHaveLength(2);
  });

  it("is refused to a responder and a viewer", async () => {
    for (const u of [responder, viewer]) {
      await expect(publishComponentState(ctx(u), { componentId: api.id, version: api.version, state: "major_outage" })).rejects.toBeInstanceOf(ForbiddenError);
    }
  });
});

const SECRET_NOTE = "rollback via ssh deploy@db-primary-07.internal then run scripts/rollback.sh rel-41";

describe("public updates", () => {
  let incidentId: string;

  beforeAll(async () => {
    const incident = await makeIncident(db.db, commander.actor, { title: "Primary db-primary-07 wedged", severity: "SEV1", surfaces: ["api"] });
    incidentId = incident.id;
    await addNote(ctx(commander), { incidentId, body: SECRET_NOTE });
    await assignRole(ctx(commander), { incidentId, version: incident.version, role: "comms", userId: responder.user.id });
  });

  it("the comms lead publishes; components change; timeline event and audit entry are written", async () => {
    const update = await saveUpdate(ctx(responder), {
      incidentId,
      title: "API errors",
      status: "investigating",
      message: "Some API requests fail. We are investigating.",
      components: [{ componentId: api.id, state: "major_outage" }],
      publish: true,
    });
    expect(update.draft).toBe(false);
    const events = await db.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, UPDATE_PUBLISHED_EVENT)));
    expect(events).toHaveLength(1);
    expect(await audited("status.update.publish", update.id)).toHaveLength(1);
    const snapshot = (await latestSnapshot(db.db))!;
    expect(snapshot.components.find((c) => c.id === api.id)!.state).toBe("major_outage");
    expect(snapshot.incidents[0]).toMatchObject({ id: incidentId, title: "API errors", status: "investigating", impact: "major_outage" });
  });

  it("the commander may publish too; a responder who is not comms lead and a viewer are refused", async () => {
    await expect(saveUpdate(ctx(responder2), { incidentId, title: "API errors", status: "identified", message: "We found the cause of it.", publish: true })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(saveUpdate(ctx(viewer), { incidentId, title: "API errors", status: "identified", message: "We found the cause of it.", publish: true })).rejects.toBeInstanceOf(ForbiddenError);
    const draft = await saveUpdate(ctx(commander), { incidentId, title: "API errors", status: "identified", message: "We found the cause and are fixing it.", components: { [api.id]: "partial_outage" }, publish: "" });
    expect(draft.draft).toBe(true);
    expect(await audited("status.update.draft", draft.id)).toHaveLength(1);
    expect((await latestSnapshot(db.db))!.incidents[0].updates).toHaveLength(1);
    await expect(publishDraft(ctx(responder2), { updateId: draft.id, version: draft.version })).rejects.toBeInstanceOf(ForbiddenError);
    const published = await publishDraft(ctx(commander), { updateId: draft.id, version: draft.version });
    expect(published.publishedBy).toBe(commander.user.id);
    expect((await latestSnapshot(db.db))!.incidents[0].updates.map((u) => u.status)).toEqual(["identified", "investigating"]);
    const scrap = await saveUpdate(ctx(responder), { incidentId, title: "API errors", status: "monitoring", message: "Not ready to say this yet.", publish: false });
    await discardDraft(ctx(responder), { updateId: scrap.id, version: scrap.version });
    expect(await audited("status.update.discard", scrap.id)).toHaveLength(1);
  });

  it("nothing internal reaches the snapshot or the documents built from it", async () => {
    const snapshot = (await latestSnapshot(db.db))!;
    const view = deriveView(snapshot, new Date());
    for (const text of [JSON.stringify(snapshot), renderStatusPage(view), renderJson(view), renderAtom(view)]) {
      for (const secret of [SECRET_NOTE, "db-primary-07", "rollback.sh", "Corin Commander", "Rowan Responder", commander.user.email, commander.user.id, "Primary db-primary"]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it("the panel shows the next update due for the SEV1 cadence, and who may publish", async () => {
    const panel = await getIncidentStatusPanel(ctx(responder), incidentId);
    expect(panel.isCommsLead).toBe(true);
    expect(panel.canPublish).toBe(true);
    expect(panel.reminder!.cadenceMinutes).toBe(30);
    expect(panel.reminder!.overdue).toBe(false);
    expect((await getIncidentStatusPanel(ctx(responder2), incidentId)).canPublish).toBe(false);
    expect(panel.templates.investigating.length).toBeGreaterThan(10);
  });

  it("resolving returns touched components to operational and today's bar keeps the outage", async () => {
    await saveUpdate(ctx(responder), { incidentId, title: "API errors", status: "resolved", message: "The API works normally again.", publish: true });
    const snapshot = (await latestSnapshot(db.db))!;
    expect(snapshot.incidents[0]).toMatchObject({ status: "resolved" });
    expect(snapshot.incidents[0].resolvedAt).not.toBeNull();
    expect(snapshot.components.find((c) => c.id === api.id)!.state).toBe("operational");
    const view = deriveView(snapshot, new Date());
    const today = view.components.find((c) => c.id === api.id)!.bars.at(-1)!;
    expect(today.worst).toBe("major_outage");
    expect(view.pastIncidents.map((i) => i.id)).toEqual([incidentId]);
    expect(view.activeIncidents).toHaveLength(0);
  });
});

describe("reminders", () => {
  it("are due one cadence after the last update, or after declaring when none was published", () => {
    const declaredAt = new Date("2026-01-01T10:00:00Z");
    const now = new Date("2026-01-01T10:45:00Z");
    expect(nextUpdateDue({ severity: "SEV1", status: "investigating", declaredAt }, 30, null, now)).toMatchObject({ overdue: true, dueAt: new Date("2026-01-01T10:30:00Z") });
    expect(nextUpdateDue({ severity: "SEV2", status: "investigating", declaredAt }, 60, new Date("2026-01-01T10:40:00Z"), now)).toMatchObject({ overdue: false, dueAt: new Date("2026-01-01T11:40:00Z") });
    expect(nextUpdateDue({ severity: "SEV1", status: "resolved", declaredAt }, 30, null, now)).toBeNull();
  });
});

describe("templates and cadences", () => {
  it("an admin edits them; a commander is refused; both audited", async () => {
    const panel = await getIncidentStatusPanel(ctx(admin), (await makeIncident(db.db, commander.actor, { severity: "SEV2" })).id);
    expect(panel.reminder!.cadenceMinutes).toBe(60);
    const t = await updateTemplate(ctx(admin), { severity: "SEV2", status: "investigating", version: 1, body: "We are checking a problem with part of the service." });
    expect(t.version).toBe(2);
    await expect(updateTemplate(ctx(commander), { severity: "SEV2", status: "investigating", version: 2, body: "Something else entirely here." })).rejects.toBeInstanceOf(ForbiddenError);
    const c = await updateCadence(ctx(admin), { severity: "SEV2", version: 1, minutes: "45" });
    expect(c.minutes).toBe(45);
    await expect(updateCadence(ctx(commander), { severity: "SEV2", version: 2, minutes: 10 })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await audited("status.template.update", "SEV2/investigating")).toHaveLength(1);
    expect(await audited("status.cadence.update", "SEV2")).toHaveLength(1);
  });
});

describe("maintenance", () => {
  it("a commander schedules a window shown ahead of time and cancels it; a responder is refused; audited", async () => {
    const startsAt = new Date(Date.now() + 3_600_000);
    const endsAt = new Date(Date.now() + 7_200_000);
    const w = await scheduleMaintenance(ctx(commander), { title: "Database upgrade", message: "Short pauses possible.", startsAt, endsAt, componentIds: [workers.id] });
    let view = deriveView((await latestSnapshot(db.db))!, new Date());
    expect(view.upcomingMaintenance.map((m) => m.title)).toEqual(["Database upgrade"]);
    // During the window the component shows as under maintenance.
    view = deriveView((await latestSnapshot(db.db))!, new Date(startsAt.getTime() + 60_000));
    expect(view.activeMaintenance).toHaveLength(1);
    expect(view.components.find((c) => c.id === workers.id)!.effectiveState).toBe("maintenance");
    await expect(scheduleMaintenance(ctx(responder), { title: "Nope window", startsAt, endsAt, componentIds: [workers.id] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(scheduleMaintenance(ctx(commander), { title: "Backwards", startsAt: endsAt, endsAt: startsAt, componentIds: [workers.id] })).rejects.toBeInstanceOf(ValidationError);
    await cancelMaintenance(ctx(commander), { windowId: w.id, version: w.version });
    expect((await latestSnapshot(db.db))!.maintenance).toHaveLength(0);
    expect(await audited("status.maintenance.schedule", w.id)).toHaveLength(1);
    expect(await audited("status.maintenance.cancel", w.id)).toHaveLength(1);
  });
});

describe("components mapped to surfaces", () => {
  it("take surfaces of chosen environments only, show the health board's suggestion, and are edited and archived by an admin", async () => {
    const [env] = await db.db.insert(environments).values({ name: `drill-${Date.now()}`, kind: "drill", controlBaseUrl: "http://127.0.0.1:1", runtimeBaseUrl: "http://127.0.0.1:1" }).returning();
    const [surface] = await db.db
      .insert(environmentSurfaces)
      .values({ environmentId: env.id, name: "worker loop", healthUrl: "http://127.0.0.1:1/healthz", state: "down", lastError: "connection refused" })
      .returning();
    await expect(createComponent(ctx(admin), { name: "Workers", surfaceId: surface.id })).rejects.toBeInstanceOf(ValidationError);
    await updateStatusSettings(ctx(admin), { version: await settingsVersion(), title: "Acme status", requireSignIn: false, environmentIds: [env.id] });
    const mapped = await createComponent(ctx(admin), { name: "Workers", groupName: "Processing", surfaceId: surface.id });
    let admin1 = await getStatusAdmin(ctx(commander));
    expect(admin1.components.find((c) => c.id === mapped.id)).toMatchObject({ health: "down", suggestion: { state: "major_outage" } });
    // The suggestion is not published until a person does it.
    expect(admin1.components.find((c) => c.id === mapped.id)!.state).toBe("operational");

    await expect(editComponent(ctx(commander), { componentId: mapped.id, version: mapped.version, name: "Background work" })).rejects.toBeInstanceOf(ForbiddenError);
    const edited = await editComponent(ctx(admin), { componentId: mapped.id, version: mapped.version, name: "Background work", groupName: "Processing", surfaceId: surface.id });
    expect(edited.name).toBe("Background work");
    expect(await audited("status.component.edit", mapped.id)).toHaveLength(1);
    await expect(archiveComponent(ctx(commander), { componentId: mapped.id, version: edited.version })).rejects.toBeInstanceOf(ForbiddenError);
    await archiveComponent(ctx(admin), { componentId: mapped.id, version: edited.version });
    expect(await audited("status.component.archive", mapped.id)).toHaveLength(1);
    expect((await latestSnapshot(db.db))!.components.map((c) => c.name)).not.toContain("Background work");
    admin1 = await getStatusAdmin(ctx(admin));
    expect(admin1.components.map((c) => c.id)).not.toContain(mapped.id);
  });
});

describe("webhooks", () => {
  type Received = { body: string; signature: string | undefined; event: string | undefined };
  const servers: http.Server[] = [];
  async function receiver(status: () => number) {
    const received: Received[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), signature: req.headers["x-sitrep-signature"] as string, event: req.headers["x-sitrep-event"] as string });
        res.statusCode = status();
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
  }
  afterAll(() => servers.forEach((s) => s.close()));

  it("creating a subscriber is admin-only and audited without the secret", async () => {
    await expect(createSubscriber(ctx(commander), { url: "http://127.0.0.1:1/x" })).rejects.toBeInstanceOf(ForbiddenError);
    const { subscriber, secret } = await createSubscriber(ctx(admin), { url: "http://127.0.0.1:1/x", description: "paused one" });
    expect(secret.length).toBeGreaterThanOrEqual(16);
    const [entry] = await audited("status.webhook.create", subscriber.id);
    expect(JSON.stringify(entry.after)).not.toContain(secret);
    await setSubscriberActive(ctx(admin), { subscriberId: subscriber.id, version: subscriber.version, active: false });
    expect(await audited("status.webhook.active", subscriber.id)).toHaveLength(1);
  });

  it("each update reaches a subscriber with a valid signature; a failing one is retried with backoff and logged", async () => {
    const good = await receiver(() => 204);
    let failures = 0;
    const bad = await receiver(() => (++failures, 500));
    const goodSecret = "good-secret-0123456789abcdef";
    const g = await createSubscriber(ctx(admin), { url: good.url, secret: goodSecret });
    const b = await createSubscriber(ctx(admin), { url: bad.url });

    const incident = await makeIncident(db.db, commander.actor, { title: "Webhook drill", severity: "SEV2" });
    await saveUpdate(ctx(commander), { incidentId: incident.id, title: "Slow jobs", status: "investigating", message: "Jobs take longer than usual.", components: [{ componentId: workers.id, state: "degraded" }], publish: true });
    await saveUpdate(ctx(commander), { incidentId: incident.id, title: "Slow jobs", status: "monitoring", message: "Jobs are catching up now.", components: [{ componentId: workers.id, state: "operational" }], publish: true, confirmOperational: true });

    const options = { backoffMs: 40, maxAttempts: 3, timeoutMs: 2_000 };
    expect(await deliverDue(db.db, options)).toBe(4);
    expect(good.received).toHaveLength(2);
    for (const r of good.received) {
      expect(r.event).toBe("incident.update");
      expect(verifySignature(goodSecret, r.body, r.signature)).toBe(true);
      expect(verifySignature("wrong-secret-000000000000", r.body, r.signature)).toBe(false);
      expect(r.body).not.toContain("Webhook drill");
    }
    expect(good.received.map((r) => JSON.parse(r.body).data.update.status)).toEqual(["investigating", "monitoring"]);

    // Two more attempts each for the failing subscriber, after 40 ms and then 80 ms.
    for (let i = 0; i < 20 && failures < 6; i++) {
      await new Promise((r) => setTimeout(r, 50));
      await deliverDue(db.db, options);
    }
    expect(failures).toBe(6);
    const deliveries = await db.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriberId, b.subscriber.id));
    expect(deliveries.map((d) => [d.status, d.attempts, d.responseCode, d.error])).toEqual([
      ["failed", 3, 500, "HTTP 500"],
      ["failed", 3, 500, "HTTP 500"],
    ]);
    const attempts = await db.db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveries[0].id));
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Backoff: the gap before the third attempt is at least twice the base.
    expect(attempts[2].at.getTime() - attempts[1].at.getTime()).toBeGreaterThanOrEqual(80);
    const delivered = await db.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriberId, g.subscriber.id));
    expect(delivered.every((d) => d.status === "delivered" && d.responseCode === 204)).toBe(true);
  });

  it("removing a subscriber is admin-only and audited", async () => {
    const { subscriber } = await createSubscriber(ctx(admin), { url: "http://127.0.0.1:1/gone" });
    await expect(removeSubscriber(ctx(commander), { subscriberId: subscriber.id, version: subscriber.version })).rejects.toBeInstanceOf(ForbiddenError);
    await removeSubscriber(ctx(admin), { subscriberId: subscriber.id, version: subscriber.version });
    expect(await audited("status.webhook.remove", subscriber.id)).toHaveLength(1);
  });

  it("the audit chain still verifies", async () => {
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });
});
