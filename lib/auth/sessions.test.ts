import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, users } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { RESYNC, type LiveMessage } from "@/lib/live";
import { currentSeq, openEventStream } from "@/lib/incidents";
import { listenOn, sseReader } from "@/lib/incidents/test-fixtures";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { resetPassword } from "./account-recovery";
import { sessionIsCurrent, signOutSession, untilSessionEnds } from "./sessions";
import { changeUserRole, setUserDisabled } from "./users";

// Issue 13 finding 4: a signed-out cookie kept working for 24 h, and a disabled user's open live
// stream kept delivering. The cookie's claims (user, session id, session version) are judged
// against the database; the HTTP side (401 for a signed-out cookie) is in e2e/security.spec.ts.

let t: TestDatabase;
let admin: Actor;
beforeAll(async () => {
  t = await createTestDb();
  admin = (await makeUser(t.db, { role: "admin" })).actor;
});
afterAll(async () => t?.cleanup());

async function person(role: "commander" | "responder" = "commander") {
  const { user, actor } = await makeUser(t.db, { role });
  return { user, actor: { ...actor, sessionId: crypto.randomUUID() }, claims: (sessionId: string) => ({ userId: user.id, sessionId, sessionVersion: user.sessionVersion }) };
}
const later = () => new Date(Date.now() + 86_400_000);
const row = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)))[0];

describe("sessions that end", () => {
  it("signing out ends that session only, once, audited", async () => {
    const p = await person();
    const other = crypto.randomUUID();
    expect(await sessionIsCurrent(t.db, p.claims(p.actor.sessionId))).toBe(true);
    await signOutSession(t.db, p.actor, { sessionId: p.actor.sessionId, expiresAt: later() });
    await signOutSession(t.db, p.actor, { sessionId: p.actor.sessionId, expiresAt: later() });
    expect(await sessionIsCurrent(t.db, p.claims(p.actor.sessionId))).toBe(false);
    expect(await sessionIsCurrent(t.db, p.claims(other))).toBe(true);
    const entries = (await t.db.select().from(auditEntries).where(eq(auditEntries.action, "auth.sign_out"))).filter((e) => e.targetId === p.user.id);
    expect(entries).toHaveLength(1);
  });

  it("disabling, lowering the role and resetting the password end every session; raising the role does not", async () => {
    const ctx = { actor: admin, db: t.db };
    const raised = await person("responder");
    await changeUserRole(ctx, { userId: raised.user.id, role: "commander", version: raised.user.version });
    expect(await sessionIsCurrent(t.db, raised.claims("s1"))).toBe(true);

    const lowered = await person("commander");
    await changeUserRole(ctx, { userId: lowered.user.id, role: "viewer", version: lowered.user.version });
    expect(await sessionIsCurrent(t.db, lowered.claims("s1"))).toBe(false);

    const disabled = await person();
    await setUserDisabled(ctx, { userId: disabled.user.id, disabled: true, version: disabled.user.version });
    expect(await sessionIsCurrent(t.db, disabled.claims("s1"))).toBe(false);
    // Enabling again does not bring old sessions back.
    await setUserDisabled(ctx, { userId: disabled.user.id, disabled: false, version: (await row(disabled.user.id)).version });
    expect(await sessionIsCurrent(t.db, disabled.claims("s1"))).toBe(false);

    const reset = await person();
    await resetPassword(ctx, { userId: reset.user.id, password: "another-long-password" });
    expect(await sessionIsCurrent(t.db, reset.claims("s1"))).toBe(false);
  });

  it("a disabled user's open live stream closes within a second", async () => {
    const p = await person();
    const signal = await untilSessionEnds(p.actor, undefined, listenOn(t));
    const stream = openEventStream({ db: t.db, listen: listenOn(t), afterSeq: await currentSeq(t.db), signal });
    const reader = sseReader(stream);
    await new Promise((r) => setTimeout(r, 100));
    expect(reader.done).toBe(false);
    const disabledAt = Date.now();
    await setUserDisabled({ actor: admin, db: t.db }, { userId: p.user.id, disabled: true, version: p.user.version });
    await expect.poll(() => reader.done, { timeout: 1000, interval: 10 }).toBe(true);
    expect(Date.now() - disabledAt).toBeLessThan(1000);
  });

  it("a revocation whose notice was missed while the listener was away ends the stream at the resync", async () => {
    const p = await person();
    const handlers: Array<(message: LiveMessage) => void> = [];
    const listen = async (_channel: string, handler: (message: LiveMessage) => void) => {
      handlers.push(handler);
      return () => undefined;
    };
    const claims = { ...p.actor, sessionVersion: p.user.sessionVersion };
    const signal = await untilSessionEnds(claims, undefined, listen, t.db);
    const other = await person();
    const untouched = await untilSessionEnds({ ...other.actor, sessionVersion: other.user.sessionVersion }, undefined, listen, t.db);
    // The password was reset while the listener was down: no notice reaches this process.
    await t.db.update(users).set({ sessionVersion: p.user.sessionVersion + 1 }).where(eq(users.id, p.user.id));
    for (const handler of handlers) handler({ type: RESYNC, reason: "listener reconnected" });
    await expect.poll(() => signal.aborted, { timeout: 1000, interval: 10 }).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(untouched.aborted).toBe(false);
  });

  it("signing out one session closes its streams, not the user's other sessions' streams", async () => {
    const p = await person();
    const mine = await untilSessionEnds(p.actor, undefined, listenOn(t));
    const elsewhere = await untilSessionEnds({ ...p.actor, sessionId: crypto.randomUUID() }, undefined, listenOn(t));
    await signOutSession(t.db, p.actor, { sessionId: p.actor.sessionId, expiresAt: later() });
    await expect.poll(() => mine.aborted, { timeout: 1000 }).toBe(true);
    expect(elsewhere.aborted).toBe(false);
  });
});
