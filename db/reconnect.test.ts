import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timelineEvents } from "@/db/schema";
import { verifyAuditChain } from "@/lib/audit";
import { env } from "@/lib/env";
import { addNote, ensureIncidentDefaults } from "@/lib/incidents";
import { makeIncident } from "@/lib/incidents/test-fixtures";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";

// A PostgreSQL restart as the console sees it: every connection of its database is dropped by
// the server. Writes go on once the server is back, and live subscriptions (LISTEN) come back by
// themselves. The shared server cannot really be restarted under other tests, so the connections
// are terminated with pg_terminate_backend, which is what a restart does to them. PGlite runs in
// the console's own process, so there is nothing to drop there.
const onPostgres = env.SITREP_TEST_DRIVER === "postgres";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDb();
});
afterAll(async () => {
  await database?.cleanup();
});

async function dropConnections() {
  const name = new URL(database.location.replace("//***@", "//x@")).pathname.slice(1);
  const admin = postgres(env.SITREP_TEST_PG_URL, { max: 1, onnotice: () => {} });
  try {
    const killed = await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    return killed.length;
  } finally {
    await admin.end();
  }
}

async function eventually<T>(fn: () => Promise<T>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe.runIf(onPostgres)("after the database drops every connection", () => {
  it("writes go through again without duplicates, and LISTEN delivers again", async () => {
    await ensureIncidentDefaults(database.db);
    const { actor } = await makeUser(database.db, { role: "commander" });
    const ctx = { actor, db: database.db };
    const incident = await makeIncident(database.db, actor, { title: "Connections dropped" });
    const received: string[] = [];
    await database.listen("reconnect_test", (payload) => received.push(payload));

    expect(await dropConnections()).toBeGreaterThan(0);

    // A write that meets a dropped connection fails whole (the person sees an error and tries
    // again); the pool reconnects, and the retry goes through once.
    const note = await eventually(() => addNote(ctx, { incidentId: incident.id, body: "Written after the drop" }));
    expect(note.body).toBe("Written after the drop");
    const notes = await database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incident.id), eq(timelineEvents.kind, "note")));
    expect(notes).toHaveLength(1);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    await eventually(async () => {
      await database.db.execute(`select pg_notify('reconnect_test', 'after')` as never);
      await new Promise((r) => setTimeout(r, 200));
      if (!received.includes("after")) throw new Error("no notification yet");
    });
    expect(received).toContain("after");
  });

  it("a transaction cut off halfway fails with an error and leaves nothing behind", async () => {
    // postgres.js 3.4.9 may then throw from a timer on the dead socket (porsager/postgres#1208:
    // "Cannot read properties of null (reading 'write')"), and a rejected ROLLBACK may go
    // unhandled. The console survives both: Next's server logs uncaught errors and keeps serving
    // (checked by hand with scripts/console-server.mjs under load). Here they are collected so
    // the test can say exactly what escaped.
    const escaped: string[] = [];
    const collect = (error: unknown) => void escaped.push(String(error));
    const vitestListeners = { exception: process.listeners("uncaughtException"), rejection: process.listeners("unhandledRejection") };
    process.removeAllListeners("uncaughtException").removeAllListeners("unhandledRejection");
    process.on("uncaughtException", collect).on("unhandledRejection", collect);
    const { actor } = await makeUser(database.db, { role: "commander" });
    const incident = await makeIncident(database.db, actor, { title: "Cut off mid-write" });
    const writing = database.db.transaction(async (tx) => {
      await tx.insert(timelineEvents).values({ incidentId: incident.id, kind: "note", actorId: actor.userId, actorName: actor.name, occurredAt: new Date(), body: "half-written" });
      await tx.execute(sql`select pg_sleep(5)`);
    });
    await new Promise((r) => setTimeout(r, 300));
    await dropConnections();
    await expect(writing).rejects.toThrow();
    const rows = await database.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incident.id), eq(timelineEvents.body, "half-written")));
    expect(rows).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 200));
    process.removeListener("uncaughtException", collect).removeListener("unhandledRejection", collect);
    for (const l of vitestListeners.exception) process.on("uncaughtException", l as (e: Error) => void);
    for (const l of vitestListeners.rejection) process.on("unhandledRejection", l as (r: unknown) => void);
    for (const error of escaped) expect(error).toMatch(/CONNECTION_CLOSED|Cannot read properties of null \(reading 'write'\)/);
  });
});

describe.skipIf(onPostgres)("on PGlite", () => {
  it("has no connections to drop (it runs inside the console's process)", () => {
    expect(env.SITREP_TEST_DRIVER).toBe("pglite");
  });
});
