import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/actor";
import { TooManyRequestsError, ValidationError } from "@/lib/errors";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { addNote } from "./add-note";
import { NOTE_MAX_CHARS, NOTES_PER_AUTHOR_PER_MINUTE, NOTES_PER_INCIDENT_PER_MINUTE } from "./note-limits";
import { makeIncident } from "./test-fixtures";

// Issue 13 finding 2 (the part that is not the parser): a responder could add notes without limit.

let t: TestDatabase;
let commander: Actor;
beforeAll(async () => {
  t = await createTestDb();
  commander = (await makeUser(t.db, { role: "commander" })).actor;
});
afterAll(async () => t?.cleanup());

const responder = async () => (await makeUser(t.db, { role: "responder" })).actor;

describe("note limits", () => {
  it("refuses a note over the size limit with a clear message", async () => {
    const incident = await makeIncident(t.db, commander);
    const actor = await responder();
    const error = await addNote({ actor, db: t.db }, { incidentId: incident.id, body: "x".repeat(NOTE_MAX_CHARS + 1) }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.body[0]).toMatch(/under 10,000 characters/);
    await addNote({ actor, db: t.db }, { incidentId: incident.id, body: "y".repeat(NOTE_MAX_CHARS) });
  });

  it("caps notes per author per minute, counting concurrent ones, and says how long to wait; others can still write", async () => {
    const incident = await makeIncident(t.db, commander);
    const actor = await responder();
    const results = await Promise.allSettled(
      Array.from({ length: NOTES_PER_AUTHOR_PER_MINUTE + 10 }, (_, i) => addNote({ actor, db: t.db }, { incidentId: incident.id, body: `note ${i}` })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(NOTES_PER_AUTHOR_PER_MINUTE);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(TooManyRequestsError);
    expect(refused.reason.message).toMatch(/in the last minute; wait \d+ s/);
    expect(refused.reason.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.reason.retryAfterSeconds).toBeLessThanOrEqual(60);
    await addNote({ actor: await responder(), db: t.db }, { incidentId: incident.id, body: "someone else" });
  });

  it("caps notes per incident per minute, whoever writes them", async () => {
    const incident = await makeIncident(t.db, commander);
    const authors = await Promise.all(Array.from({ length: NOTES_PER_INCIDENT_PER_MINUTE / NOTES_PER_AUTHOR_PER_MINUTE }, responder));
    for (const actor of authors) {
      for (let i = 0; i < NOTES_PER_AUTHOR_PER_MINUTE; i++) await addNote({ actor, db: t.db }, { incidentId: incident.id, body: `n${i}` });
    }
    await expect(addNote({ actor: await responder(), db: t.db }, { incidentId: incident.id, body: "one too many" })).rejects.toThrow(/This incident got 120 notes/);
    // Another incident is not affected.
    await addNote({ actor: authors[0], db: t.db }, { incidentId: (await makeIncident(t.db, commander)).id, body: "elsewhere" });
  }, 120_000);
});
