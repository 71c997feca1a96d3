import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { recoveryChecks } from "@/db/schema";
import { incidentRoles, timelineEvents } from "@/db/schema/incidents";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { acknowledgeCommand, addNote, changeStatus, checksCoveringItem, declareIncident, ensureIncidentDefaults, getIncidentState, handOverCommand, listTimelinePage, markKeyMoment, timelineFacets, DEFAULT_CHECKLISTS } from "./index";
import { ensureStatusDefaults } from "@/lib/status";
import { auditFor, makeIncident } from "./test-fixtures";

// The lib side of the command view: acknowledged hand-overs, responders declaring, checklist
// items proven by recovery validation, and the paged timeline the incident page reads.

let db: TestDatabase;
type U = Awaited<ReturnType<typeof makeUser>>;
let commander: U, commander2: U, responder: U, viewer: U;

beforeAll(async () => {
  db = await createTestDb();
  await ensureIncidentDefaults(db.db);
  [commander, commander2, responder, viewer] = await Promise.all((["commander", "commander", "responder", "viewer"] as const).map((role) => makeUser(db.db, { role })));
});
afterAll(async () => {
  await db?.cleanup();
});

const ctx = (u: U) => ({ actor: u.actor, db: db.db });

describe("hand-over with acknowledgement", () => {
  it("waits for the new commander, who acknowledges once; both are on the timeline and audited", async () => {
    const i = await makeIncident(db.db, commander.actor);
    expect((await getIncidentState(ctx(viewer), i.id)).pendingAcknowledgement).toBeNull();
    await handOverCommand(ctx(commander), { incidentId: i.id, version: i.version, toUserId: commander2.user.id, note: "Rollback half done; watch the queue" });
    const pending = (await getIncidentState(ctx(viewer), i.id)).pendingAcknowledgement;
    expect(pending).toMatchObject({ userId: commander2.user.id, fromName: commander.user.name, note: "Rollback half done; watch the queue" });

    await expect(acknowledgeCommand(ctx(commander), { incidentId: i.id })).rejects.toThrow(/Only the person in command/);
    await acknowledgeCommand(ctx(commander2), { incidentId: i.id });
    await expect(acknowledgeCommand(ctx(commander2), { incidentId: i.id })).rejects.toBeInstanceOf(ValidationError);

    const state = await getIncidentState(ctx(viewer), i.id);
    expect(state.pendingAcknowledgement).toBeNull();
    expect(state.roles.find((r) => r.role === "commander" && !r.endedAt)?.acknowledgedAt).not.toBeNull();
    const kinds = (await db.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, i.id))).map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(["command.handed_over", "command.acknowledged"]);
    expect(await auditFor(db.db, "incident.command.acknowledge", i.id)).toHaveLength(1);
  });

  it("refuses a viewer", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await expect(acknowledgeCommand(ctx(viewer), { incidentId: i.id })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("needs none when you take command yourself", async () => {
    const i = await makeIncident(db.db, commander.actor);
    await handOverCommand(ctx(commander2), { incidentId: i.id, version: i.version, toUserId: commander2.user.id });
    expect((await getIncidentState(ctx(viewer), i.id)).pendingAcknowledgement).toBeNull();
  });
});

describe("responders declare", () => {
  it("for a commander, who then acknowledges; a responder cannot take command", async () => {
    const i = await declareIncident(ctx(responder), { title: "Checkout errors seen first by on-call", severity: "SEV2", commanderId: commander.user.id });
    expect(i.commanderId).toBe(commander.user.id);
    const state = await getIncidentState(ctx(viewer), i.id);
    expect(state.pendingAcknowledgement).toMatchObject({ userId: commander.user.id, fromName: responder.user.name });
    await expect(declareIncident(ctx(responder), { title: "No commander named", severity: "SEV3" })).rejects.toThrow(/commander/i);
    await expect(declareIncident(ctx(viewer), { title: "Viewer tries", severity: "SEV3", commanderId: commander.user.id })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await auditFor(db.db, "incident.declare", i.id)).toHaveLength(1);
  });
});

describe("recovery validation ticks the checklist items it proves", () => {
  it("recognises the default items and the seed's wording by what they name", () => {
    expect(DEFAULT_CHECKLISTS.recovery_validation.items.map(checksCoveringItem)).toEqual([
      ["api_success_rate"],
      ["queue_depth_trend"],
      ["terminal_error_rate"],
      ["audit_anomalies"],
      ["smoke_flow"],
    ]);
    expect(checksCoveringItem("Confirm queue depth is stabilizing or falling.")).toEqual(["queue_depth_trend"]);
    expect(checksCoveringItem("Tell the customer success team")).toEqual([]);
  });

  it("on reaching monitoring after a passed validation; a failed or overridden one ticks nothing", async () => {
    const passing = (passed: boolean) => ["api_success_rate", "queue_depth_trend", "terminal_error_rate", "audit_anomalies", "smoke_flow"].map((check) => ({ check, passed: passed || check !== "smoke_flow", detail: "" }));
    const run = async (row: { passed: boolean; override?: boolean }) => {
      const i = await makeIncident(db.db, commander.actor);
      await db.db.insert(recoveryChecks).values({ incidentId: i.id, passed: row.passed, override: !!row.override, results: row.override ? [] : passing(row.passed), ranBy: commander.user.email });
      await changeStatus(ctx(commander), { incidentId: i.id, version: i.version, to: "monitoring" });
      const list = (await getIncidentState(ctx(viewer), i.id)).checklists.find((l) => l.kind === "recovery_validation")!;
      return list.items.filter((x) => x.done).length;
    };
    expect(await run({ passed: true })).toBe(5);
    expect(await run({ passed: false })).toBe(0);
    expect(await run({ passed: true, override: true })).toBe(0);
  });
});

describe("the paged timeline", () => {
  it("pages newest first without gaps or repeats, and filters by kind, key moment, person and text", async () => {
    const i = await makeIncident(db.db, commander.actor);
    for (let n = 0; n < 23; n++) await addNote(ctx(n % 2 ? responder : commander), { incidentId: i.id, body: `note number ${n}` });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listTimelinePage>> = await listTimelinePage(ctx(viewer), i.id, { limit: 10, before: cursor ?? "" });
      seen.push(...page.events.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await db.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, i.id));
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen).size).toBe(all.length);
    const first = await listTimelinePage(ctx(viewer), i.id, { limit: 5 });
    expect(first.events[0].body).toBe("note number 22");

    expect((await listTimelinePage(ctx(viewer), i.id, { kind: "note", actorId: responder.user.id })).events).toHaveLength(11);
    expect((await listTimelinePage(ctx(viewer), i.id, { q: "NUMBER 1" })).events.map((e) => e.body).sort()).toEqual(
      ["note number 1", ...Array.from({ length: 10 }, (_, k) => `note number 1${k}`)].sort(),
    );
    const target = first.events[2];
    await markKeyMoment(ctx(commander), { seq: target.seq, version: target.version, moment: "detected" });
    const keys = await listTimelinePage(ctx(viewer), i.id, { kind: "key" });
    expect(keys.events.map((e) => e.seq)).toEqual([target.seq]);
    const [marked] = await db.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, i.id), eq(timelineEvents.kind, "key_moment.marked")));
    expect(marked.body).toBe(`Marked the note by ${commander.user.name} “note number 20” as key moment “Detected”.`);
  });
});

describe("the command view's state", () => {
  it("says when resolving is blocked and when the next public update is due", async () => {
    const i = await makeIncident(db.db, commander.actor, { severity: "SEV1" });
    await ensureStatusDefaults(db.db);
    const state = await getIncidentState(ctx(viewer), i.ref);
    expect(state.resolveBlockedBy).toBeNull();
    expect(state.publicUpdateDue?.overdue).toBe(false);
    expect(Date.parse(state.publicUpdateDue!.dueAt) - Date.parse(i.declaredAt)).toBe(state.publicUpdateDue!.cadenceMinutes * 60_000);
    expect(await timelineFacets(ctx(viewer), i.id)).toEqual({ kinds: ["checklist.added", "incident.declared"], people: [{ id: commander.user.id, name: commander.user.name }], events: 2 });
    await db.db.update(incidentRoles).set({ acknowledgedAt: null }).where(eq(incidentRoles.incidentId, i.id));
    expect((await getIncidentState(ctx(viewer), i.ref)).pendingAcknowledgement?.userId).toBe(commander.user.id);
  });
});
