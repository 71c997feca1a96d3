import postgres from "postgres";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { addNote, currentSeq, ensureIncidentDefaults, openEventStream } from "@/lib/incidents";
import { INCIDENT_CHANNEL } from "@/lib/incidents/record";
import { seqsAfter } from "@/lib/incidents/queries";
import { makeIncident, sseReader } from "@/lib/incidents/test-fixtures";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { subscribe, watchForGaps } from "./index";

// No silent gaps: an event committed while the LISTEN connection was down, or whose notification
// never arrived, still reaches every open stream, once and in order. Through lib/live's own
// subscribe (the process-wide database is this test's).
const onPostgres = env.SITREP_TEST_DRIVER === "postgres";

let t: TestDatabase;
let actor: Awaited<ReturnType<typeof makeUser>>["actor"];
beforeAll(async () => {
  t = await createTestDb();
  (globalThis as { __sitrepDatabase?: Promise<unknown> }).__sitrepDatabase = Promise.resolve(t);
  await ensureIncidentDefaults(t.db);
  actor = (await makeUser(t.db, { role: "commander" })).actor;
  watchForGaps(INCIDENT_CHANNEL, (after) => seqsAfter(t.db, after), () => currentSeq(t.db), 200);
});
afterAll(async () => {
  (globalThis as { __sitrepDatabase?: unknown }).__sitrepDatabase = undefined;
  await t?.cleanup();
});

const open = async (incidentId: string) => {
  const abort = new AbortController();
  const reader = sseReader(openEventStream({ db: t.db, listen: subscribe, incidentId, afterSeq: await currentSeq(t.db), signal: abort.signal }));
  await new Promise((r) => setTimeout(r, 100));
  return { reader, close: async () => (abort.abort(), await reader.cancel()) };
};
const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { seq: number }[];
const ids = (frames: { id?: string }[]) => frames.map((f) => Number(f.id));

describe("live streams have no silent gaps", () => {
  it("an event whose notification never arrived is sent after the gap check, in order, even when a later one was notified", async () => {
    const incident = await makeIncident(t.db, actor);
    const stream = await open(incident.id);
    const first = await addNote({ actor, db: t.db }, { incidentId: incident.id, body: "notified" });
    // Committed without a notification, as if the NOTIFY had been lost on the way.
    const result = await t.db.execute(
      sql`insert into timeline_events (incident_id, kind, actor_name, occurred_at, body, payload) values (${incident.id}, 'note', 'x', now(), 'never notified', '{}') returning seq`,
    );
    const [{ seq }] = rowsOf(result);
    // A later event is notified right away: the stream has sent it when the check finds the gap.
    const third = await addNote({ actor, db: t.db }, { incidentId: incident.id, body: "after" });
    // The hole before it is looked up first: the stream re-reads and sends both, in order.
    expect(ids(await stream.reader.waitFor(3, 5_000))).toEqual([first.seq, Number(seq), third.seq]);
    // The last one lost, with nothing after it: the periodic check finds it.
    const [{ seq: last }] = rowsOf(
      await t.db.execute(
        sql`insert into timeline_events (incident_id, kind, actor_name, occurred_at, body, payload) values (${incident.id}, 'note', 'x', now(), 'last, never notified', '{}') returning seq`,
      ),
    );
    expect(ids(await stream.reader.waitFor(4, 5_000))).toEqual([first.seq, Number(seq), third.seq, Number(last)]);
    await stream.close();
  });

  it.runIf(onPostgres)("after the LISTEN connection is killed, what was committed meanwhile reaches every stream once", async () => {
    const incident = await makeIncident(t.db, actor);
    const streams = await Promise.all([open(incident.id), open(incident.id), open(incident.id)]);
    const before = await addNote({ actor, db: t.db }, { incidentId: incident.id, body: "before" });
    const name = new URL(t.url!).pathname.slice(1);
    const admin = postgres(env.SITREP_TEST_PG_URL, { max: 1, onnotice: () => {} });
    const killed = await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and application_name = 'sitrep-listen'`;
    await admin.end();
    expect(killed.length).toBe(1);
    // Committed while nobody listens: its notification is gone for good.
    const during = await addNote({ actor, db: t.db }, { incidentId: incident.id, body: "during" });
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await addNote({ actor, db: t.db }, { incidentId: incident.id, body: "after" });
    for (const stream of streams) {
      expect(ids(await stream.reader.waitFor(3, 5_000))).toEqual([before.seq, during.seq, after.seq]);
      await new Promise((r) => setTimeout(r, 300));
      expect(stream.reader.frames.filter((f) => f.id)).toHaveLength(3);
      await stream.close();
    }
  });
});
