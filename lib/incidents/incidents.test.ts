import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { incidentRoles, timelineEvents, timelineNoteRevisions } from "@/db/schema/incidents";
import { verifyAuditChain } from "@/lib/audit";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import {
  addNote,
  assignRole,
  changeSeverity,
  changeStatus,
  closeWithOverride,
  editNote,
  endRole,
  ensureIncidentDefaults,
  getIncidentDetail,
  handOverCommand,
  listIncidents,
  markKeyMoment,
  tickChecklistItem,
  updateChecklistTemplate,
  updateSevDefinition,
  listSevDefinitions,
  listChecklistTemplates,
} from "./index";
import { auditFor, completeChecklist, makeIncident } from "./test-fixtures";

let db: TestDatabase;
type U = Awaited<ReturnType<typeof makeUser>>;
let admin: U, commander: U, commander2: U, responder: U, viewer: U;

beforeAll(async () => {
  db = await createTestDb();
  await ensureIncidentDefaults(db.db);
  [admin, commander, commander2, responder, viewer] = await Promise.all(
    (["admin", "commander", "commander", "responder", "viewer"] as const).map((role) => makeUser(db.db, { role })),
  );
});
afterAll(async () => {
  await db?.cleanup();
});

const ctx = (u: U) => ({ actor: u.actor, db: db.db });

describe("defaults", () => {
  it("are inserted once, however often startup runs", async () => {
    expect((await ensureIncidentDefaults(db.db)).inserted).toBe(0);
    expect(await listSevDefinitions(ctx(viewer))).toHaveLength(3);
    expect((await listChecklistTemplates(ctx(viewer))).map((t) => t.kind)).toEqual(["first_five_minutes", "recovery_validation", "post_incident"]);
  });
});

describe("declare", () => {
  it("opens a triage incident with a number, the declarer in command and the first checklist", async () => {
    const incident = await makeIncident(db.db, commander.actor, { severity: "SEV1", surfaces: "execution API, worker loop" as never });
    expect(incident.ref).toMatch(/^INC-\d+$/);
    expect(incident.status).toBe("triage");
    expect(incident.surfaces).toEqual(["execution API", "worker loop"]);
    expect(incident.commanderId).toBe(commander.user.id);
    const detail = await getIncidentDetail(ctx(viewer), incident.ref);
    expect(detail.roles).toMatchObject([{ role: "commander", userId: commander.user.id, endedAt: null }]);
    expect(detail.checklists.map((c) => c.kind)).toEqual(["first_five_minutes"]);
    expect(detail.checklists[0].items.length).toBeGreaterThan(2);
    expect(detail.timeline.map((e) => e.kind)).toEqual(["incident.declared", "checklist.added"]);
  });
  it("lets the declarer name someone else as commander", async () => {
    const incident = await makeIncident(db.db, admin.actor, { commanderId: commander2.user.id });
    expect(incident.commanderId).toBe(commander2.user.id);
  });
  it("refuses a commander who could not run the incident", async () => {
    await expect(makeIncident(db.db, commander.actor, { commanderId: responder.user.id })).rejects.toBeInstanceOf(ValidationError);
    const i = await makeIncident(db.db, commander.actor);
    await expect(handOverCommand(ctx(commander), { incidentId: i.id, version: i.version, toUserId: viewer.user.id })).rejects.toBeInstanceOf(ValidationError);
  });
  it("refuses viewers; a responder may declare but must name a commander", async () => {
    await expect(makeIncident(db.db, viewer.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(makeIncident(db.db, responder.actor)).rejects.toThrow(/commander/i);
    expect((await makeIncident(db.db, responder.actor, { commanderId: commander.user.id })).commanderId).toBe(commander.user.id);
  });
  it("reports every invalid field", async () => {
    const error = await makeIncident(db.db, commander.actor, { title: "x", severity: "SEV9" as never }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["severity", "title"]);
  });
  it("is audited", async () => {
    const incident = await makeIncident(db.db, commander.actor);
    const [entry] = await auditFor(db.db, "incident.declare", incident.id);
    expect(entry.actorId).toBe(commander.user.id);
    expect(entry.after).toMatchObject({ title: incident.title, severity: incident.severity });
  });
});

describe("change status", () => {
  it("moves forward and stamps milestones with who", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const a = await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "investigating" });
    expect(a.acknowledgedAt).not.toBeNull();
    expect(a.acknowledgedBy).toBe(commander.user.id);
    const b = await changeStatus(ctx(admin), { incidentId: i.id, version: a.version, to: "monitoring" });
    expect(b.mitigatedBy).toBe(admin.user.id);
    const c = await changeStatus(ctx(admin), { incidentId: i.id, version: b.version, to: "resolved" });
    expect(c.resolvedAt).not.toBeNull();
    const detail = await getIncidentDetail(ctx(viewer), i.id);
    expect(detail.checklists.map((l) => l.kind)).toEqual(["first_five_minutes", "recovery_validation", "post_incident"]);
  });
  it("refuses illegal moves and backwards moves without a reason", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await expect(changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "closed" })).rejects.toThrow(/resolved incident can be closed/);
    const a = await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "mitigating" });
    await expect(changeStatus(ctx(commander), { incidentId: i.id, version: a.version, to: "investigating" })).rejects.toThrow(/needs a reason/);
    const b = await changeStatus(ctx(commander), { incidentId: i.id, version: a.version, to: "investigating", reason: "The fix did not hold" });
    expect(b.status).toBe("investigating");
  });
  it("refuses closing with an open post-incident checklist, then allows it once complete", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const r = await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "resolved" });
    await expect(changeStatus(ctx(commander), { incidentId: i.id, version: r.version, to: "closed" })).rejects.toThrow(/post-incident checklist/);
    await completeChecklist(db.db, i.id, "post_incident");
    const c = await changeStatus(ctx(commander), { incidentId: i.id, version: r.version, to: "closed" });
    expect(c.closedBy).toBe(commander.user.id);
  });
  it("refuses responders and viewers", async () => {
    const i = await makeIncident(db.db, commander.actor);
    for (const who of [responder, viewer]) {
      await expect(changeStatus(ctx(who), { incidentId: i.id, version: i.version, to: "investigating" })).rejects.toBeInstanceOf(ForbiddenError);
    }
  });
  it("is audited with before and after", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "investigating" });
    const [entry] = await auditFor(db.db, "incident.status.change", i.id);
    expect(entry.before).toMatchObject({ status: "triage" });
    expect(entry.after).toMatchObject({ status: "investigating" });
  });
  it("lets exactly one of two concurrent changes win; the timeline shows one change", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const results = await Promise.allSettled([
      changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "investigating" }),
      changeStatus(ctx(commander2), { incidentId: i.id, version: i.version, to: "identified" }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(ConflictError);
    const winner = (won[0] as PromiseFulfilledResult<{ status: string; version: number }>).value;
    expect((lost[0].reason as ConflictError).current).toMatchObject({ status: winner.status, version: winner.version });
    const changes = (await getIncidentDetail(ctx(viewer), i.id)).timeline.filter((e) => e.kind === "status.changed");
    expect(changes).toHaveLength(1);
    expect((await auditFor(db.db, "incident.status.change", i.id)).length).toBe(1);
  });
  it("refuses a stale version with the current state", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "investigating" });
    const error = await changeStatus(ctx(commander2), { incidentId: i.id, version: i.version, to: "identified" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.current).toMatchObject({ status: "investigating", version: i.version + 1 });
  });
  it("tells a stale change it is stale before judging it against a state its author never saw", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "identified" });
    // From "identified", "investigating" would be a move back that needs a reason: the author of
    // this change saw "triage", so the answer is the conflict, not the missing reason.
    const error = await changeStatus(ctx(commander2), { incidentId: i.id, version: i.version, to: "investigating" }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.current).toMatchObject({ status: "identified", version: i.version + 1 });
  });
});

describe("admin close override", () => {
  it("closes with an open checklist, audited and on the timeline", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const r = await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "resolved" });
    const c = await closeWithOverride(ctx(admin), { incidentId: i.id, version: r.version, reason: "Review happens in the weekly meeting" });
    expect(c.status).toBe("closed");
    expect(c.closeOverrideReason).toMatch(/weekly/);
    const [entry] = await auditFor(db.db, "incident.close.override", i.id);
    expect((entry.after as { skippedItems: string[] }).skippedItems.length).toBeGreaterThan(0);
    const last = (await getIncidentDetail(ctx(viewer), i.id)).timeline.at(-1)!;
    expect(last).toMatchObject({ kind: "status.changed", payload: { override: true, to: "closed" } });
  });
  it("is for admins only and needs a reason", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const r = await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "resolved" });
    await expect(closeWithOverride(ctx(commander), { incidentId: i.id, version: r.version, reason: "Because I say so, really" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(closeWithOverride(ctx(admin), { incidentId: i.id, version: r.version, reason: "" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("change severity", () => {
  it("raises freely, lowers only with a reason, audited", async () => {
    const i = await makeIncident(db.db, commander.actor, { severity: "SEV3" });
    const up = await changeSeverity(ctx(commander), { incidentId: i.id, version: i.version, to: "SEV1" });
    expect(up.severity).toBe("SEV1");
    await expect(changeSeverity(ctx(commander), { incidentId: i.id, version: up.version, to: "SEV2" })).rejects.toThrow(/needs a reason/);
    const down = await changeSeverity(ctx(commander), { incidentId: i.id, version: up.version, to: "SEV2", reason: "Only one tenant affected" });
    expect(down.severity).toBe("SEV2");
    expect(await auditFor(db.db, "incident.severity.change", i.id)).toHaveLength(2);
  });
  it("refuses responders", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await expect(changeSeverity(ctx(responder), { incidentId: i.id, version: i.version, to: "SEV1" })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("roles", () => {
  it("hands over command in one step and keeps both terms", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const h = await handOverCommand(ctx(commander), { incidentId: i.id, version: i.version, toUserId: commander2.user.id });
    expect(h.commanderId).toBe(commander2.user.id);
    const detail = await getIncidentDetail(ctx(viewer), i.id);
    const terms = detail.roles.filter((r) => r.role === "commander");
    expect(terms.map((t) => t.userId)).toEqual([commander.user.id, commander2.user.id]);
    expect(terms[0].endedAt).not.toBeNull();
    expect(terms[1].endedAt).toBeNull();
    expect(detail.timeline.at(-1)?.kind).toBe("command.handed_over");
    expect(await auditFor(db.db, "incident.command.hand_over", i.id)).toHaveLength(1);
  });
  it("refuses a hand-over by a responder and a stale one", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await expect(handOverCommand(ctx(responder), { incidentId: i.id, version: i.version, toUserId: responder.user.id })).rejects.toBeInstanceOf(ForbiddenError);
    await changeSeverity(ctx(commander), { incidentId: i.id, version: i.version, to: "SEV1" });
    await expect(handOverCommand(ctx(commander), { incidentId: i.id, version: i.version, toUserId: commander2.user.id })).rejects.toBeInstanceOf(ConflictError);
    const rows = await db.db.select().from(incidentRoles).where(eq(incidentRoles.incidentId, i.id));
    expect(rows).toHaveLength(1);
  });
  it("assigns scribe (replacing the holder) and responders, and ends a term, audited", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const a = await assignRole(ctx(commander), { incidentId: i.id, version: i.version, role: "scribe", userId: responder.user.id });
    const b = await assignRole(ctx(commander), { incidentId: i.id, version: a.version, role: "scribe", userId: viewer.user.id });
    const c = await assignRole(ctx(commander), { incidentId: i.id, version: b.version, role: "responder", userId: responder.user.id });
    let detail = await getIncidentDetail(ctx(viewer), i.id);
    const scribes = detail.roles.filter((r) => r.role === "scribe");
    expect(scribes.map((s) => [s.userId, !!s.endedAt])).toEqual([[responder.user.id, true], [viewer.user.id, false]]);
    const responderTerm = detail.roles.find((r) => r.role === "responder")!;
    await endRole(ctx(commander), { incidentId: i.id, version: c.version, assignmentId: responderTerm.id });
    detail = await getIncidentDetail(ctx(viewer), i.id);
    expect(detail.roles.find((r) => r.id === responderTerm.id)?.endedAt).not.toBeNull();
    expect(await auditFor(db.db, "incident.role.assign", i.id)).toHaveLength(3);
    expect(await auditFor(db.db, "incident.role.end", i.id)).toHaveLength(1);
  });
  it("refuses role changes by a responder", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await expect(assignRole(ctx(responder), { incidentId: i.id, version: i.version, role: "comms", userId: responder.user.id })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("notes", () => {
  it("adds a note with an earlier occurred-at, audited", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const at = new Date(Date.now() - 10 * 60_000);
    const note = await addNote(ctx(responder), { incidentId: i.id, body: "Queue depth **rising** since 02:10", occurredAt: at.toISOString() });
    expect(note.occurredAt).toBe(at.toISOString());
    expect(new Date(note.recordedAt).getTime()).toBeGreaterThan(at.getTime());
    expect(note.actorName).toBe(responder.user.name);
    expect(await auditFor(db.db, "incident.note.add", i.id)).toHaveLength(1);
  });
  it("refuses viewers", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await expect(addNote(ctx(viewer), { incidentId: i.id, body: "hello" })).rejects.toBeInstanceOf(ForbiddenError);
  });
  it("edits keep the original text and who changed it", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const note = await addNote(ctx(responder), { incidentId: i.id, body: "Worker 3 is down" });
    const edited = await editNote(ctx(responder), { seq: note.seq, version: note.version, body: "Workers 3 and 4 are down" });
    const again = await editNote(ctx(commander), { seq: note.seq, version: edited.version, body: "Workers 3, 4 and 5 are down" });
    expect(again.editedBy).toBe(commander.user.name);
    const revs = await db.db.select().from(timelineNoteRevisions).where(eq(timelineNoteRevisions.eventSeq, note.seq));
    expect(revs.sort((a, b) => a.revision - b.revision).map((r) => [r.body, r.writtenByName])).toEqual([
      ["Worker 3 is down", responder.user.name],
      ["Workers 3 and 4 are down", responder.user.name],
      ["Workers 3, 4 and 5 are down", commander.user.name],
    ]);
    const detail = await getIncidentDetail(ctx(viewer), i.id);
    expect(detail.revisions[note.seq]).toHaveLength(3);
    expect(await auditFor(db.db, "incident.note.edit", String(note.seq))).toHaveLength(2);
  });
  it("refuses editing someone else's note as a responder, and a stale edit", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const note = await addNote(ctx(commander), { incidentId: i.id, body: "Paging storage on-call" });
    await expect(editNote(ctx(responder), { seq: note.seq, version: note.version, body: "changed" })).rejects.toBeInstanceOf(ForbiddenError);
    await editNote(ctx(commander), { seq: note.seq, version: note.version, body: "Paged storage on-call" });
    await expect(editNote(ctx(commander), { seq: note.seq, version: note.version, body: "again" })).rejects.toBeInstanceOf(ConflictError);
  });
});

describe("key moments", () => {
  it("marks and unmarks, audited; responders may not", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const note = await addNote(ctx(responder), { incidentId: i.id, body: "Rolled back the release" });
    await expect(markKeyMoment(ctx(responder), { seq: note.seq, version: note.version, moment: "mitigated" })).rejects.toBeInstanceOf(ForbiddenError);
    const marked = await markKeyMoment(ctx(commander), { seq: note.seq, version: note.version, moment: "mitigated" });
    expect(marked).toMatchObject({ keyMoment: "mitigated", keyMomentLabel: "Mitigated", keyMomentBy: commander.user.name });
    await expect(markKeyMoment(ctx(commander), { seq: note.seq, version: marked.version, moment: "custom" })).rejects.toBeInstanceOf(ValidationError);
    const custom = await markKeyMoment(ctx(commander), { seq: note.seq, version: marked.version, moment: "custom", label: "Customer saw it" });
    const cleared = await markKeyMoment(ctx(commander), { seq: note.seq, version: custom.version, moment: "none" });
    expect(cleared.keyMoment).toBeNull();
    expect(await auditFor(db.db, "incident.key_moment.mark", String(note.seq))).toHaveLength(3);
  });
});

describe("checklists", () => {
  it("responders tick items; viewers may not; audited and on the timeline", async () => {
    const i = await makeIncident(db.db, commander.actor);
    const item = (await getIncidentDetail(ctx(viewer), i.id)).checklists[0].items[0];
    await expect(tickChecklistItem(ctx(viewer), { itemId: item.id, version: item.version, done: true })).rejects.toBeInstanceOf(ForbiddenError);
    const ticked = await tickChecklistItem(ctx(responder), { itemId: item.id, version: item.version, done: "true" });
    expect(ticked).toMatchObject({ done: true, doneBy: responder.user.id });
    await expect(tickChecklistItem(ctx(responder), { itemId: item.id, version: item.version, done: false })).rejects.toBeInstanceOf(ConflictError);
    expect(await auditFor(db.db, "incident.checklist.tick", i.id)).toHaveLength(1);
    const events = await db.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, i.id));
    expect(events.map((e) => e.kind)).toContain("checklist.item.ticked");
  });
  it("templates and SEV definitions are admin-editable, audited; new incidents copy the new text", async () => {
    const [tpl] = (await listChecklistTemplates(ctx(viewer))).filter((t) => t.kind === "first_five_minutes");
    await expect(updateChecklistTemplate(ctx(commander), { kind: tpl.kind, version: tpl.version, title: "x", items: "a" })).rejects.toBeInstanceOf(ForbiddenError);
    await updateChecklistTemplate(ctx(admin), { kind: tpl.kind, version: tpl.version, title: "Opening moves", items: "Page the owner\nOpen a bridge" });
    const i = await makeIncident(db.db, commander.actor);
    const list = (await getIncidentDetail(ctx(viewer), i.id)).checklists[0];
    expect(list.title).toBe("Opening moves");
    expect(list.items.map((x) => x.text)).toEqual(["Page the owner", "Open a bridge"]);
    const [sev] = (await listSevDefinitions(ctx(viewer))).filter((s) => s.severity === "SEV2");
    await expect(updateSevDefinition(ctx(commander), { severity: "SEV2", version: sev.version, name: "Big", description: "Something big is broken" })).rejects.toBeInstanceOf(ForbiddenError);
    const updated = await updateSevDefinition(ctx(admin), { severity: "SEV2", version: sev.version, name: "Serious", description: "A key feature is broken for many people" });
    expect(updated.version).toBe(sev.version + 1);
    expect(await auditFor(db.db, "sev_definition.update", "SEV2")).toHaveLength(1);
    expect(await auditFor(db.db, "checklist_template.update", "first_five_minutes")).toHaveLength(1);
  });
});

describe("list", () => {
  it("puts open incidents first, by severity then age, and filters", async () => {
    const s3 = await makeIncident(db.db, commander.actor, { title: "Slow dashboard", severity: "SEV3", surfaces: ["operator control plane"] });
    const s1 = await makeIncident(db.db, commander.actor, { title: "API returns 5xx", severity: "SEV1", surfaces: ["execution API"] });
    const done = await makeIncident(db.db, commander.actor, { title: "Old resolved thing", severity: "SEV1" });
    await changeStatus(ctx(commander), { incidentId: done.id, version: done.version, to: "resolved" });
    const { incidents } = await listIncidents(ctx(viewer));
    const ids = incidents.map((i) => i.id);
    expect(ids.indexOf(s1.id)).toBeLessThan(ids.indexOf(s3.id));
    expect(ids.indexOf(s3.id)).toBeLessThan(ids.indexOf(done.id));
    expect(incidents.find((i) => i.id === s1.id)?.commanderName).toBe(commander.user.name);
    expect((await listIncidents(ctx(viewer), { surface: "Execution API" })).incidents.map((i) => i.id)).toContain(s1.id);
    expect((await listIncidents(ctx(viewer), { q: s3.ref })).incidents.map((i) => i.id)).toEqual([s3.id]);
    expect((await listIncidents(ctx(viewer), { q: "5xx" })).incidents.map((i) => i.id)).toEqual([s1.id]);
    const open = (await listIncidents(ctx(viewer), { status: "open", severity: "SEV1" })).incidents;
    expect(open.every((i) => i.open && i.severity === "SEV1")).toBe(true);
    expect(open.map((i) => i.id)).not.toContain(done.id);
  });
});

describe("audit chain", () => {
  it("still verifies after everything above", async () => {
    const verdict = await verifyAuditChain(db.db);
    expect(verdict.ok).toBe(true);
  });
});
