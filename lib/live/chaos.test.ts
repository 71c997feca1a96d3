import postgres from "postgres";
import { and, asc, gt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timelineEvents } from "@/db/schema";
import { verifyAuditChain } from "@/lib/audit";
import { env } from "@/lib/env";
import { DatabaseUnavailableError } from "@/lib/errors";
import { isConnectionLoss } from "@/lib/idempotency";
import { addNote, currentSeq, ensureIncidentDefaults, openEventStream, watchTimelineGaps } from "@/lib/incidents";
import { NOTES_PER_AUTHOR_PER_MINUTE } from "@/lib/incidents/note-limits";
import { makeIncident, sseReader } from "@/lib/incidents/test-fixtures";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { isDriverSocketError } from "@/scripts/lib/process-errors.mjs";
import { subscribe } from "./index";

// Chaos, bounded: 4 writers adding notes and 20 open live streams for 30 s while database
// connections are killed: (a) every backend of the database, (b) only the LISTEN connection.
// Each runs once with the kill rate doubled (every second instead of every 2 s). Then: every
// acknowledged note is stored exactly once, every stream holds exactly the stored events in
// order, no request took longer than 5 s, and the audit chain verifies. Streams behave like
// EventSource: when one closes, it reopens from its last event id.
//
// PostgreSQL only: PGlite runs inside the process, so it has no connections to kill.
const onPostgres = env.SITREP_TEST_DRIVER === "postgres";
const RUN_MS = Number(process.env.SITREP_CHAOS_MS) || 30_000;
const KILL_EVERY_MS = 1_000;
const WRITERS = 4;
const STREAMS = 20;
const INCIDENTS = 100;

/** Setup steps may meet a connection killed a moment ago: retried like a person would. */
async function settled<T>(fn: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await fn();
    } catch (error) {
      if (!isConnectionLoss(error) || tries > 5) throw error;
    }
  }
}

let t: TestDatabase;
let dbName: string;
beforeAll(async () => {
  if (!onPostgres) return;
  t = await createTestDb();
  dbName = new URL(t.url!).pathname.slice(1);
  // lib/live's subscribe and gap check run on this database, as in the console.
  (globalThis as { __sitrepDatabase?: Promise<unknown> }).__sitrepDatabase = Promise.resolve(t);
  await ensureIncidentDefaults(t.db);
}, 60_000);
afterAll(async () => {
  (globalThis as { __sitrepDatabase?: unknown }).__sitrepDatabase = undefined;
  await t?.cleanup();
});

/** A browser tab's EventSource: reads, and on close reopens after its last id. */
function tab(fromSeq: number, running: () => boolean) {
  const ids: number[] = [];
  let reopened = 0;
  const done = (async () => {
    while (running()) {
      const abort = new AbortController();
      const reader = sseReader(openEventStream({ db: t.db, listen: subscribe, afterSeq: ids.at(-1) ?? fromSeq, signal: abort.signal }));
      let seen = 0;
      while (running() && !reader.done) {
        for (; seen < reader.frames.length; seen++) ids.push(Number(reader.frames[seen].id));
        await new Promise((r) => setTimeout(r, 20));
      }
      for (; seen < reader.frames.length; seen++) ids.push(Number(reader.frames[seen].id));
      abort.abort();
      await reader.cancel();
      if (running()) {
        reopened++;
        await new Promise((r) => setTimeout(r, 1_000)); // EventSource's retry: 1000
      }
    }
  })();
  return { ids, done, reopened: () => reopened };
}

async function chaos(kill: "all" | "listen") {
  // Notes are rate-limited per author and incident: each writer is a person, spread over incidents.
  const actors = await Promise.all(Array.from({ length: WRITERS }, () => settled(() => makeUser(t.db, { role: "commander" }).then((u) => u.actor))));
  const incidents: Awaited<ReturnType<typeof makeIncident>>[] = [];
  for (let i = 0; i < INCIDENTS; i++) incidents.push(await settled(() => makeIncident(t.db, actors[0])));
  const fromSeq = await settled(() => currentSeq(t.db));
  watchTimelineGaps(t.db);
  const escaped: unknown[] = [];
  const vitest = { exception: process.listeners("uncaughtException"), rejection: process.listeners("unhandledRejection") };
  process.removeAllListeners("uncaughtException").removeAllListeners("unhandledRejection");
  const collect = (error: unknown) => void escaped.push(error);
  process.on("uncaughtException", collect).on("unhandledRejection", collect);

  let writing = true;
  let streaming = true;
  // The incident list's stream: every incident's events.
  const tabs = Array.from({ length: STREAMS }, () => tab(fromSeq, () => streaming));
  const acknowledged: string[] = [];
  const slowest = { ms: 0, what: "" };
  let failures = 0;
  const writers = Array.from({ length: WRITERS }, async (_, w) => {
    // An author may add NOTES_PER_AUTHOR_PER_MINUTE notes to an incident a minute: a writer that
    // has filled every incident waits (a fast machine writes 100 notes a second when only the
    // LISTEN connection dies, more than the 100 incidents hold).
    const sentAt: number[][] = Array.from({ length: INCIDENTS }, () => []);
    for (let n = 0; writing; n++) {
      const body = `writer ${w} note ${n}`;
      const sent = sentAt[n % INCIDENTS];
      for (;;) {
        while (sent.length && sent[0] < Date.now() - 61_000) sent.shift();
        if (!writing || sent.length < NOTES_PER_AUTHOR_PER_MINUTE - 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!writing) break;
      sent.push(Date.now());
      const idempotencyKey = `chaos-${kill}-${w}-${n}-${Date.now()}`;
      // Like a person pressing again after an error: same form, same key, until it is acknowledged.
      for (let tries = 0; ; tries++) {
        const started = Date.now();
        try {
          await addNote({ actor: actors[w], db: t.db }, { incidentId: incidents[n % INCIDENTS].id, body, idempotencyKey });
          acknowledged.push(body);
          break;
        } catch (error) {
          failures++;
          if (!(isConnectionLoss(error) || error instanceof DatabaseUnavailableError) || tries > 20) throw error;
          await new Promise((r) => setTimeout(r, 100));
        } finally {
          const ms = Date.now() - started;
          if (ms > slowest.ms) Object.assign(slowest, { ms, what: body });
        }
      }
    }
  });
  const admin = postgres(env.SITREP_TEST_PG_URL, { max: 1, onnotice: () => {} });
  let kills = 0;
  const killer = (async () => {
    const until = Date.now() + RUN_MS;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
      const only = kill === "listen" ? admin`and application_name = 'sitrep-listen'` : admin``;
      kills += (await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid() ${only}`).length;
    }
  })();
  await killer;
  writing = false;
  await Promise.all(writers);
  await admin.end();

  // Stored: what every tab must hold, in this order.
  const stored = await settled(() => t.db
    .select({ seq: timelineEvents.seq, body: timelineEvents.body })
    .from(timelineEvents)
    .where(and(gt(timelineEvents.seq, fromSeq)))
    .orderBy(asc(timelineEvents.seq)));
  const storedSeqs = stored.map((s) => s.seq);
  const until = Date.now() + 10_000;
  while (Date.now() < until && tabs.some((tb) => tb.ids.length < storedSeqs.length)) await new Promise((r) => setTimeout(r, 100));
  streaming = false;
  await Promise.all(tabs.map((tb) => tb.done));
  await new Promise((r) => setTimeout(r, 200));
  process.removeListener("uncaughtException", collect).removeListener("unhandledRejection", collect);
  for (const l of vitest.exception) process.on("uncaughtException", l as (e: Error) => void);
  for (const l of vitest.rejection) process.on("unhandledRejection", l as (r: unknown) => void);

  const summary = { kill, kills, acknowledged: acknowledged.length, failures, stored: stored.length, slowestMs: slowest.ms, reopened: tabs.reduce((n, tb) => n + tb.reopened(), 0), escaped: escaped.length };
  console.log(`chaos ${JSON.stringify(summary)}`);
  expect(kills).toBeGreaterThanOrEqual(RUN_MS / KILL_EVERY_MS - 2);
  expect(acknowledged.length).toBeGreaterThan(50);
  // Every acknowledged note stored exactly once, and nothing stored that was not acknowledged.
  expect(stored.map((s) => s.body).sort()).toEqual([...acknowledged].sort());
  for (const [i, tb] of tabs.entries()) expect(tb.ids, `tab ${i}`).toEqual(storedSeqs);
  expect(slowest.ms, `slowest request: ${slowest.what}`).toBeLessThanOrEqual(5_000);
  for (const error of escaped) expect(isDriverSocketError(error) || isConnectionLoss(error), String(error)).toBe(true);
  expect(await settled(() => verifyAuditChain(t.db))).toMatchObject({ ok: true });
}

describe.runIf(onPostgres)("chaos on PostgreSQL: writers and live streams while connections die", () => {
  it("killing every backend of the database every second", () => chaos("all"), RUN_MS + 60_000);
  it("killing only the LISTEN connection every second", () => chaos("listen"), RUN_MS + 60_000);
});

describe.skipIf(onPostgres)("chaos on PGlite", () => {
  it("is skipped: PGlite runs inside this process, so there are no connections to kill", () => {
    expect(env.SITREP_TEST_DRIVER).toBe("pglite");
  });
});
