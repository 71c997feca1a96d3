import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { addNote, changeSeverity, changeStatus, currentSeq, ensureIncidentDefaults, openEventStream, parseLastEventId } from "./index";
import { listenOn, makeIncident, sseReader } from "./test-fixtures";

// The stream logic over real LISTEN/NOTIFY on each driver. The route handler adds only the
// session and permission check around it; e2e/incidents.spec.ts runs the same scenario over HTTP.
let db: TestDatabase;
let commander: Awaited<ReturnType<typeof makeUser>>;
let responder: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  db = await createTestDb();
  await ensureIncidentDefaults(db.db);
  commander = await makeUser(db.db, { role: "commander" });
  responder = await makeUser(db.db, { role: "responder" });
});
afterAll(async () => {
  await db?.cleanup();
});

const open = (afterSeq: number, incidentId?: string) => {
  const abort = new AbortController();
  const reader = sseReader(openEventStream({ db: db.db, listen: listenOn(db), incidentId, afterSeq, signal: abort.signal }));
  return { reader, abort };
};

describe("incident event stream", () => {
  it("delivers live events of one incident, and not those of others", async () => {
    const incident = await makeIncident(db.db, commander.actor);
    const other = await makeIncident(db.db, commander.actor);
    const { reader, abort } = open(await currentSeq(db.db), incident.id);
    await new Promise((r) => setTimeout(r, 100));
    await addNote({ actor: responder.actor, db: db.db }, { incidentId: other.id, body: "elsewhere" });
    const note = await addNote({ actor: responder.actor, db: db.db }, { incidentId: incident.id, body: "Queue is draining" });
    const frames = await reader.waitFor(1);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ id: String(note.seq), event: "timeline" });
    expect(JSON.parse(frames[0].data!)).toMatchObject({ kind: "note", body: "Queue is draining", incidentId: incident.id });
    abort.abort();
    await reader.cancel();
  });

  it("after a drop, resuming from the last event id delivers the three missed changes exactly once", async () => {
    let incident = await makeIncident(db.db, commander.actor);
    const ctx = { actor: commander.actor, db: db.db };
    const first = open(await currentSeq(db.db), incident.id);
    await new Promise((r) => setTimeout(r, 100));
    await addNote(ctx, { incidentId: incident.id, body: "Before the drop" });
    const before = await first.reader.waitFor(1);
    const lastEventId = parseLastEventId(before.at(-1)!.id)!;
    first.abort.abort();
    await first.reader.cancel();

    incident = await changeStatus(ctx, { incidentId: incident.id, version: incident.version, to: "investigating" });
    incident = await changeSeverity(ctx, { incidentId: incident.id, version: incident.version, to: "SEV1" });
    await addNote({ actor: responder.actor, db: db.db }, { incidentId: incident.id, body: "While you were away" });

    const second = open(lastEventId, incident.id);
    // A live change right after reconnecting must follow the replay without a duplicate.
    await addNote(ctx, { incidentId: incident.id, body: "After the reconnect" });
    const frames = await second.reader.waitFor(4);
    await new Promise((r) => setTimeout(r, 300));
    const kinds = second.reader.frames.map((f) => JSON.parse(f.data!).kind);
    expect(kinds).toEqual(["status.changed", "severity.changed", "note", "note"]);
    const ids = frames.map((f) => Number(f.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(ids[0]).toBeGreaterThan(lastEventId);
    second.abort.abort();
    await second.reader.cancel();
  });

  it("the list stream (no incident filter) sees declarations", async () => {
    const { reader, abort } = open(await currentSeq(db.db));
    await new Promise((r) => setTimeout(r, 100));
    const incident = await makeIncident(db.db, commander.actor, { severity: "SEV1", title: "Everything is on fire" });
    const frames = await reader.waitFor(2);
    expect(frames.map((f) => JSON.parse(f.data!))).toMatchObject([
      { kind: "incident.declared", incidentId: incident.id },
      { kind: "checklist.added", incidentId: incident.id },
    ]);
    abort.abort();
    await reader.cancel();
  });

  it("ignores a malformed Last-Event-ID", () => {
    expect(parseLastEventId("abc")).toBeNull();
    expect(parseLastEventId("")).toBeNull();
    expect(parseLastEventId(" 42 ")).toBe(42);
  });
});
