import postgres from "postgres";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, timelineEvents } from "@/db/schema";
import { verifyAuditChain } from "@/lib/audit";
import { env } from "@/lib/env";
import { ConflictError } from "@/lib/errors";
import { addNote, changeStatus, declareIncident, ensureIncidentDefaults } from "@/lib/incidents";
import { makeIncident } from "@/lib/incidents/test-fixtures";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { isDriverSocketError } from "@/scripts/lib/process-errors.mjs";
import { isConnectionLoss } from "./index";

const onPostgres = env.SITREP_TEST_DRIVER === "postgres";
let t: TestDatabase;
let commander: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  t = await createTestDb();
  await ensureIncidentDefaults(t.db);
  commander = await makeUser(t.db, { role: "commander" });
  other = await makeUser(t.db, { role: "commander" });
});
afterAll(async () => t?.cleanup());

const key = () => Math.random().toString(16).slice(2).padEnd(16, "0") + Date.now().toString(16);
const notesOf = (incidentId: string) => t.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "note")));

describe("idempotency keys on writes", () => {
  it("a note sent twice with one key is stored once; both answers are the first result", async () => {
    const ctx = { actor: commander.actor, db: t.db };
    const incident = await makeIncident(t.db, commander.actor);
    const k = key();
    const first = await addNote(ctx, { incidentId: incident.id, body: "Once", idempotencyKey: k });
    const again = await addNote(ctx, { incidentId: incident.id, body: "Once", idempotencyKey: k });
    expect(again).toEqual(JSON.parse(JSON.stringify(first)));
    // Sent together: the second waits on the first's key and answers with its result.
    const k2 = key();
    const [a, b] = await Promise.all([
      addNote(ctx, { incidentId: incident.id, body: "Together", idempotencyKey: k2 }),
      addNote(ctx, { incidentId: incident.id, body: "Together", idempotencyKey: k2 }),
    ]);
    expect(a.seq).toBe(b.seq);
    expect((await notesOf(incident.id)).map((n) => n.body)).toEqual(["Once", "Together"]);
    const audits = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, "incident.note.add"), eq(auditEntries.targetId, incident.id)));
    expect(audits).toHaveLength(2);
  });

  it("declaring and changing status with a key happen once", async () => {
    const ctx = { actor: commander.actor, db: t.db };
    const k = key();
    const input = { title: "Declared once", severity: "SEV3", surfaces: "api", summary: "", commanderId: commander.actor.userId, idempotencyKey: k };
    const declared = await declareIncident(ctx, input);
    expect((await declareIncident(ctx, input)).id).toBe(declared.id);
    const s = key();
    const moved = await changeStatus(ctx, { incidentId: declared.id, version: declared.version, to: "investigating", idempotencyKey: s });
    // The same request again would be a version conflict; with its key it is the first answer.
    expect(await changeStatus(ctx, { incidentId: declared.id, version: declared.version, to: "investigating", idempotencyKey: s })).toEqual(JSON.parse(JSON.stringify(moved)));
  });

  it("a key is one person's and one action's", async () => {
    const incident = await makeIncident(t.db, commander.actor);
    const k = key();
    await addNote({ actor: commander.actor, db: t.db }, { incidentId: incident.id, body: "Mine", idempotencyKey: k });
    await expect(addNote({ actor: other.actor, db: t.db }, { incidentId: incident.id, body: "Theirs", idempotencyKey: k })).rejects.toBeInstanceOf(ConflictError);
    await expect(addNote({ actor: commander.actor, db: t.db }, { incidentId: incident.id, body: "x", idempotencyKey: "short" })).rejects.toMatchObject({
      fieldErrors: { idempotencyKey: [expect.stringMatching(/idempotency key is malformed/)] },
    });
  });

  it("the same key with different content is refused, not answered with the first result", async () => {
    const ctx = { actor: commander.actor, db: t.db };
    const incident = await makeIncident(t.db, commander.actor);
    const k = key();
    await addNote(ctx, { incidentId: incident.id, body: "Rollback started", idempotencyKey: k });
    await expect(addNote(ctx, { incidentId: incident.id, body: "Rollback finished", idempotencyKey: k })).rejects.toThrow(/already used for a different request/);
    expect((await notesOf(incident.id)).map((n) => n.body)).toEqual(["Rollback started"]);
  });

  it("tells a lost connection from a refusal", () => {
    expect(isConnectionLoss(Object.assign(new Error("write CONNECTION_CLOSED"), { code: "CONNECTION_CLOSED" }))).toBe(true);
    expect(isConnectionLoss(new Error("wrapped", { cause: Object.assign(new Error("terminating connection"), { code: "57P01" }) }))).toBe(true);
    expect(isConnectionLoss(new TypeError("Cannot read properties of null (reading 'write')"))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isConnectionLoss(new ConflictError("changed meanwhile"))).toBe(false);
  });

  it.runIf(onPostgres)("a keyed note whose connection is killed mid-transaction is retried once and stored once", async () => {
    // postgres.js may then throw its null-socket TypeError from a timer (porsager/postgres#1208);
    // the console's handler (scripts/lib/process-errors.mjs) survives exactly that one. Here it
    // stands in for vitest's, and anything else it sees fails the test.
    const escaped: unknown[] = [];
    const vitestListeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    const collect = (error: unknown) => void escaped.push(error);
    process.on("uncaughtException", collect);
    const incident = await makeIncident(t.db, commander.actor);
    const name = new URL(t.url!).pathname.slice(1);
    const admin = postgres(env.SITREP_TEST_PG_URL.replace(/\/[^/]*$/, `/${name}`), { max: 1, onnotice: () => {} });
    // Hold the audit chain's lock so the note's transaction waits inside it, then kill that backend.
    const holder = admin.begin(async (tx) => {
      await tx`select seq from audit_head where id = 'head' for update`;
      await new Promise((r) => setTimeout(r, 1_000));
    });
    await new Promise((r) => setTimeout(r, 100));
    const writing = addNote({ actor: commander.actor, db: t.db }, { incidentId: incident.id, body: "Cut off, then retried", idempotencyKey: key() });
    const killer = postgres(env.SITREP_TEST_PG_URL, { max: 1, onnotice: () => {} });
    let killed = 0;
    for (let i = 0; i < 50 && !killed; i++) {
      await new Promise((r) => setTimeout(r, 20));
      killed = (await killer`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and wait_event_type = 'Lock' and application_name = 'sitrep'`).length;
    }
    await killer.end();
    expect(killed).toBe(1);
    const note = await writing;
    await holder;
    await admin.end();
    expect(note.body).toBe("Cut off, then retried");
    expect((await notesOf(incident.id)).map((n) => n.body)).toEqual(["Cut off, then retried"]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    process.removeListener("uncaughtException", collect);
    for (const l of vitestListeners) process.on("uncaughtException", l as (e: Error) => void);
    for (const error of escaped) expect(isDriverSocketError(error), String(error)).toBe(true);
  });
});
