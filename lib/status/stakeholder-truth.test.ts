import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEntries } from "@/db/schema/audit";
import { environmentSurfaces, environments } from "@/db/schema/environments";
import { timelineEvents } from "@/db/schema/incidents";
import { statusSettings, statusTemplates } from "@/db/schema/status";
import { verifyAuditChain } from "@/lib/audit";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { assignRole, changeStatus, closeWithOverride, ensureIncidentDefaults, getIncidentState } from "@/lib/incidents";
import { completeChecklist, makeIncident } from "@/lib/incidents/test-fixtures";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import {
  correctUpdate,
  createComponent,
  ensureStatusDefaults,
  getIncidentStatusPanel,
  latestSnapshot,
  publishDraft,
  retractUpdate,
  saveUpdate,
  updateStatusSettings,
  updateTemplate,
  UPDATE_CORRECTED_EVENT,
  UPDATE_RETRACTED_EVENT,
} from "./index";
import { deriveView, renderAtom, renderIncidentPage, renderJson, renderStatusPage } from "./render";

// Issue 18 item 5 on the server: what goes public is checked there, whatever the form did.

let db: TestDatabase;
type U = Awaited<ReturnType<typeof makeUser>>;
let admin: U, commander: U, comms: U, bystander: U;
const ctx = (u: U) => ({ actor: u.actor, db: db.db });
let api: { id: string };
let web: { id: string };

beforeAll(async () => {
  db = await createTestDb();
  await ensureIncidentDefaults(db.db);
  await ensureStatusDefaults(db.db);
  admin = await makeUser(db.db, { role: "admin", name: "Ada Lovelace" });
  commander = await makeUser(db.db, { role: "commander", name: "Corin Okafor" });
  comms = await makeUser(db.db, { role: "responder", name: "Priya Raman" });
  bystander = await makeUser(db.db, { role: "responder", name: "Tomasz Nowak" });
  api = await createComponent(ctx(admin), { name: "Public API", groupName: "Core" });
  web = await createComponent(ctx(admin), { name: "Website", groupName: "Core" });
});
afterAll(async () => {
  await db?.cleanup();
});

const audited = (action: string, targetId: string) => db.db.select().from(auditEntries).where(and(eq(auditEntries.action, action), eq(auditEntries.targetId, targetId)));

async function sev1WithComms(title = "Checkout wedged") {
  const incident = await makeIncident(db.db, commander.actor, { title, severity: "SEV1", surfaces: ["checkout"] });
  await assignRole(ctx(commander), { incidentId: incident.id, version: incident.version, role: "comms", userId: comms.user.id });
  return (await getIncidentState(ctx(commander), incident.id)).incident;
}

async function resolve(incidentId: string) {
  let incident = (await getIncidentState(ctx(commander), incidentId)).incident;
  incident = await changeStatus(ctx(commander), { incidentId, version: incident.version, to: "resolved" });
  await completeChecklist(db.db, incidentId, "post_incident");
  return incident;
}

describe("Operational everywhere while the incident is open", () => {
  it("is refused without confirmation, published with it, and the confirmation is audited", async () => {
    const incident = await sev1WithComms();
    const base = { incidentId: incident.id, title: "Checkout problems", status: "investigating", message: "Some customers cannot check out. We are looking into it.", publish: true };
    const refusal = await saveUpdate(ctx(comms), base).catch((e) => e);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal.fieldErrors.confirmOperational[0]).toMatch(/All systems operational/);
    // Explicit "operational" on every component is the same thing.
    await expect(saveUpdate(ctx(comms), { ...base, components: [{ componentId: api.id, state: "operational" }] })).rejects.toBeInstanceOf(ValidationError);
    // Nothing was published by the refusals.
    expect((await latestSnapshot(db.db))!.incidents).toHaveLength(0);
    const update = await saveUpdate(ctx(comms), { ...base, confirmOperational: "true" });
    const [entry] = await audited("status.update.publish", update.id);
    expect(entry.after).toMatchObject({ confirmedOperational: true });
    // With an affected component there is nothing to confirm.
    const second = await saveUpdate(ctx(comms), { ...base, status: "identified", components: { [web.id]: "degraded" } });
    expect(second.draft).toBe(false);
    const [plain] = await audited("status.update.publish", second.id);
    expect(plain.after).not.toHaveProperty("confirmedOperational");
    // A draft is checked when it is published.
    const draft = await saveUpdate(ctx(comms), { ...base, status: "monitoring", components: { [web.id]: "operational" }, publish: false });
    await expect(publishDraft(ctx(comms), { updateId: draft.id, version: draft.version })).rejects.toThrow(/All systems operational/);
    await publishDraft(ctx(comms), { updateId: draft.id, version: draft.version, confirmOperational: "on" });
    await saveUpdate(ctx(comms), { ...base, status: "resolved", message: "Checkout works normally again." });
  });
});

describe("the check before publish", () => {
  it("refuses an IP address, a command and a teammate's name until confirmed; the panel's drafts carry the findings", async () => {
    const incident = await sev1WithComms();
    const message = "Host 10.0.3.7 stopped; Priya ran `systemctl restart api` and INC-12 is linked.";
    const base = { incidentId: incident.id, title: "API errors", status: "investigating", message, components: { [api.id]: "major_outage" }, publish: true };
    const refusal = await saveUpdate(ctx(comms), base).catch((e) => e);
    expect(refusal).toBeInstanceOf(ValidationError);
    const text = refusal.fieldErrors.confirmSensitive[0] as string;
    for (const part of ["IP address “10.0.3.7”", "Person's name “Priya”", "Command or file path “`systemctl restart api`”", "Internal incident id “INC-12”"]) expect(text).toContain(part);
    // The headline is checked too.
    await expect(saveUpdate(ctx(comms), { ...base, title: "db-primary-07 down", message: "Some requests fail. We are looking into it." })).rejects.toThrow(/Host name “db-primary-07”/);
    expect((await latestSnapshot(db.db))!.incidents.filter((i) => i.id === incident.id)).toHaveLength(0);

    const update = await saveUpdate(ctx(comms), { ...base, confirmSensitive: true });
    const [entry] = await audited("status.update.publish", update.id);
    expect((entry.after as { confirmedFindings: { kind: string }[] }).confirmedFindings.map((f) => f.kind)).toEqual(["ip", "person", "command", "incident"]);

    const draft = await saveUpdate(ctx(comms), { ...base, status: "identified", message: "We wrote to ops@acme.example about it.", publish: false });
    const panel = await getIncidentStatusPanel(ctx(comms), incident.id);
    expect(panel.updates.find((u) => u.id === draft.id)!.messageFindings.map((f) => [f.kind, f.match])).toEqual([["email", "ops@acme.example"]]);
    expect(panel.people).toContain("Priya Raman");
    await expect(publishDraft(ctx(comms), { updateId: draft.id, version: draft.version })).rejects.toThrow(/Email address “ops@acme.example”/);
    await publishDraft(ctx(comms), { updateId: draft.id, version: draft.version, confirmSensitive: "true" });
  });

  it("a clean text needs no confirmation", async () => {
    const incident = await sev1WithComms();
    const update = await saveUpdate(ctx(comms), { incidentId: incident.id, title: "Slow pages", status: "investigating", message: "Some pages load slowly since 10:30 UTC. We are on it.", components: { [web.id]: "degraded" }, publish: true });
    expect(update.draft).toBe(false);
  });
});

describe("resolving and closing", () => {
  it("closing is refused while the page says the incident is open, with or without an override, until the final update", async () => {
    const incident = await sev1WithComms();
    await saveUpdate(ctx(comms), { incidentId: incident.id, title: "Payments failing", status: "monitoring", message: "A fix is in place; we are watching it.", components: { [api.id]: "degraded" }, publish: true });
    const resolved = await resolve(incident.id);
    expect((await getIncidentState(ctx(commander), incident.id)).publicStatus).toBe("monitoring");

    // Resolving asks for the final update: the panel starts from a Resolved template that says so.
    const panel = await getIncidentStatusPanel(ctx(comms), incident.id);
    expect(panel.defaultStatus).toBe("resolved");
    expect(panel.templates.resolved).toMatch(/^This incident is resolved/);
    expect(panel.components.find((c) => c.id === api.id)!.prefillResolved).toBe("operational");

    const refusal = await changeStatus(ctx(commander), { incidentId: incident.id, version: resolved.version, to: "closed" }).catch((e) => e);
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal.message).toBe("The status page still shows this incident as Monitoring. Publish the final public update (status Resolved) on the Public updates tab before closing.");
    await expect(closeWithOverride(ctx(admin), { incidentId: incident.id, version: resolved.version, reason: "Checklist skipped for the drill" })).rejects.toThrow(/still shows this incident as Monitoring/);

    await saveUpdate(ctx(comms), { incidentId: incident.id, title: "Payments failing", status: "resolved", message: panel.templates.resolved, publish: true });
    expect((await getIncidentState(ctx(commander), incident.id)).publicStatus).toBe("resolved");
    const closed = await changeStatus(ctx(commander), { incidentId: incident.id, version: resolved.version, to: "closed" });
    expect(closed.status).toBe("closed");
  });

  it("an incident that never went public closes as before", async () => {
    const incident = await sev1WithComms("Internal only");
    const resolved = await resolve(incident.id);
    expect((await changeStatus(ctx(commander), { incidentId: incident.id, version: resolved.version, to: "closed" })).status).toBe("closed");
  });
});

describe("corrections and retractions", () => {
  it("a correction replaces the text on /status, says so, and the audit keeps the original", async () => {
    const incident = await sev1WithComms();
    const original = "Card payments fail in the EU region. We are investigating.";
    const update = await saveUpdate(ctx(comms), { incidentId: incident.id, title: "Card payments", status: "investigating", message: original, components: { [api.id]: "partial_outage" }, publish: true });
    await expect(correctUpdate(ctx(bystander), { updateId: update.id, version: update.version, message: "Card payments fail in the US region.", reason: "wrong region" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(correctUpdate(ctx(comms), { updateId: update.id, version: update.version, message: "Card payments fail on 10.1.2.3 in the US.", reason: "wrong region" })).rejects.toThrow(/IP address/);
    await expect(correctUpdate(ctx(comms), { updateId: update.id, version: update.version, message: original, reason: "nothing" })).rejects.toBeInstanceOf(ValidationError);
    const corrected = await correctUpdate(ctx(comms), { updateId: update.id, version: update.version, message: "Card payments fail in the US region. We are investigating.", reason: "wrong region" });
    expect(corrected.correctedAt).not.toBeNull();
    const [entry] = await audited("status.update.correct", update.id);
    expect(entry.before).toMatchObject({ message: original });
    expect(entry.after).toMatchObject({ message: "Card payments fail in the US region. We are investigating.", reason: "wrong region" });
    const [event] = await db.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incident.id), eq(timelineEvents.kind, UPDATE_CORRECTED_EVENT)));
    expect(event.body).toContain("wrong region");

    const snapshot = (await latestSnapshot(db.db))!;
    const view = deriveView(snapshot, new Date());
    const pub = snapshot.incidents.find((i) => i.id === incident.id)!;
    expect(pub.updates[0]).toMatchObject({ message: "Card payments fail in the US region. We are investigating.", correctedAt: corrected.correctedAt!.toISOString(), retractedAt: null });
    const page = renderIncidentPage(view, pub);
    expect(page).toContain("Corrected <time");
    expect(page).not.toContain("EU region");
    expect(JSON.parse(renderJson(view)).activeIncidents.find((i: { id: string }) => i.id === incident.id).updates[0].correctedAt).toBe(corrected.correctedAt!.toISOString());
    expect(renderAtom(view)).toContain("Card payments: Investigating (corrected)");
  });

  it("a retraction leaves a notice without the text, the status falls back to the update before, and nothing can be done to it after", async () => {
    const incident = await sev1WithComms();
    await saveUpdate(ctx(comms), { incidentId: incident.id, title: "Login trouble", status: "investigating", message: "Some people cannot sign in. We are investigating.", components: { [web.id]: "major_outage" }, publish: true });
    const wrong = await saveUpdate(ctx(comms), { incidentId: incident.id, title: "Login trouble", status: "resolved", message: "Signing in works again for everyone.", publish: true });
    expect((await latestSnapshot(db.db))!.incidents.find((i) => i.id === incident.id)!.status).toBe("resolved");

    await expect(retractUpdate(ctx(bystander), { updateId: wrong.id, version: wrong.version, reason: "too early" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(retractUpdate(ctx(comms), { updateId: wrong.id, version: wrong.version, reason: "" })).rejects.toBeInstanceOf(ValidationError);
    const retracted = await retractUpdate(ctx(comms), { updateId: wrong.id, version: wrong.version, reason: "published too early" });
    const [entry] = await audited("status.update.retract", wrong.id);
    expect(entry.before).toMatchObject({ message: "Signing in works again for everyone.", status: "resolved" });
    expect(entry.after).toMatchObject({ reason: "published too early" });
    const [event] = await db.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incident.id), eq(timelineEvents.kind, UPDATE_RETRACTED_EVENT)));
    expect(event).toBeDefined();

    const snapshot = (await latestSnapshot(db.db))!;
    const pub = snapshot.incidents.find((i) => i.id === incident.id)!;
    expect(pub.status).toBe("investigating");
    expect(pub.resolvedAt).toBeNull();
    expect(pub.updates[0]).toMatchObject({ id: wrong.id, message: "", retractedAt: retracted.retractedAt!.toISOString() });
    const view = deriveView(snapshot, new Date());
    const html = renderStatusPage(view);
    expect(html).toContain("This update was retracted");
    expect(html).not.toContain("Signing in works again");
    expect(renderAtom(view)).not.toContain("Signing in works again");
    // The page still says the incident is open, so closing waits.
    expect((await getIncidentState(ctx(commander), incident.id)).publicStatus).toBe("investigating");

    await expect(retractUpdate(ctx(comms), { updateId: wrong.id, version: retracted.version, reason: "again" })).rejects.toThrow(/was retracted/);
    await expect(correctUpdate(ctx(comms), { updateId: wrong.id, version: retracted.version, message: "Something else entirely.", reason: "x y z" })).rejects.toThrow(/was retracted/);
    const draft = await saveUpdate(ctx(comms), { incidentId: incident.id, title: "Login trouble", status: "identified", message: "We found why sign-in fails.", components: { [web.id]: "partial_outage" }, publish: false });
    await expect(retractUpdate(ctx(comms), { updateId: draft.id, version: draft.version, reason: "a draft" })).rejects.toThrow(/Only a published update/);
  });
});

describe("templates and the cadence", () => {
  it("the SEV1 templates promise the 30-minute cadence, SEV3 none; the Resolved one says it is resolved", async () => {
    const sev1 = await getIncidentStatusPanel(ctx(comms), (await sev1WithComms()).id);
    expect(sev1.cadenceMinutes).toBe(30);
    expect(sev1.templates.investigating).toContain("within 30 minutes");
    for (const body of Object.values(sev1.templates)) expect(body).not.toMatch(/within the hour|\{next_update\}/);
    expect(sev1.templates.resolved).not.toMatch(/affected/);
    const sev2 = await getIncidentStatusPanel(ctx(admin), (await makeIncident(db.db, commander.actor, { severity: "SEV2" })).id);
    expect(sev2.templates.investigating).toContain("within the hour");
    const sev3 = await getIncidentStatusPanel(ctx(admin), (await makeIncident(db.db, commander.actor, { severity: "SEV3" })).id);
    expect(sev3.templates.investigating).toContain("as soon as we know more");
  });

  it("a template promising more than the cadence is refused; the first defaults are upgraded on start", async () => {
    await expect(updateTemplate(ctx(admin), { severity: "SEV1", status: "investigating", version: 1, body: "We are looking into it. Next update within the hour." })).rejects.toThrow(/promises more time than SEV1's cadence/);
    const legacy = "Part of the service is affected. We are looking into reports of a problem and will share more as soon as we know it. Next update within the hour or sooner.";
    await db.db.update(statusTemplates).set({ body: legacy }).where(and(eq(statusTemplates.severity, "SEV2"), eq(statusTemplates.status, "investigating")));
    await ensureStatusDefaults(db.db);
    const [row] = await db.db.select().from(statusTemplates).where(and(eq(statusTemplates.severity, "SEV2"), eq(statusTemplates.status, "investigating")));
    expect(row.body).toContain("{next_update}");
  });
});

describe("pre-filled component states", () => {
  it("start from the health board's suggestion, then from what the incident last said", async () => {
    const [env] = await db.db.insert(environments).values({ name: `prod-${Date.now()}`, kind: "drill", controlBaseUrl: "http://127.0.0.1:1", runtimeBaseUrl: "http://127.0.0.1:1" }).returning();
    const [down] = await db.db.insert(environmentSurfaces).values({ environmentId: env.id, name: "payments", healthUrl: "http://127.0.0.1:1/h", state: "down", lastError: "connection refused" }).returning();
    const [up] = await db.db.insert(environmentSurfaces).values({ environmentId: env.id, name: "checkout", healthUrl: "http://127.0.0.1:1/h", state: "up", position: 1 }).returning();
    const [settings] = await db.db.select().from(statusSettings);
    await updateStatusSettings(ctx(admin), { version: settings.version, title: settings.title, requireSignIn: false, environmentIds: [env.id] });
    const payments = await createComponent(ctx(admin), { name: "Payments", surfaceId: down.id });
    const checkout = await createComponent(ctx(admin), { name: "Checkout", surfaceId: up.id });
    // The incident names the checkout surface: the board suggests a partial outage there.
    const incident = await sev1WithComms();
    let panel = await getIncidentStatusPanel(ctx(comms), incident.id);
    const of = (id: string) => panel.components.find((c) => c.id === id)!;
    expect(of(payments.id)).toMatchObject({ prefill: "major_outage", suggestion: { state: "major_outage" } });
    expect(of(checkout.id)).toMatchObject({ prefill: "partial_outage", suggestion: { state: "partial_outage" } });
    expect(of(web.id).prefill).toBe("");
    await saveUpdate(ctx(comms), { incidentId: incident.id, title: "Payments down", status: "investigating", message: "Payments fail for everyone. We are on it.", components: { [payments.id]: "major_outage", [checkout.id]: "degraded" }, publish: true });
    panel = await getIncidentStatusPanel(ctx(comms), incident.id);
    expect(of(checkout.id).prefill).toBe("degraded");
    expect(of(payments.id).prefillResolved).toBe("operational");
  });

  it("the audit chain still verifies", async () => {
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });
});
