import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, users } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { ForbiddenError } from "@/lib/errors";
import { createTestDb, makeUser, TEST_PASSWORD, type TestDatabase } from "@/lib/testing";
import { listSignInWaits, resetPassword, unlockSignIns } from "./account-recovery";
import { authenticate, waitInWords } from "./sign-in";

// Issue 13 finding 5: 39 wrong passwords and the right one sent in parallel got a session, and
// anyone could lock any account for 15 minutes with no way back.

let t: TestDatabase;
let admin: Actor;
beforeAll(async () => {
  t = await createTestDb();
  admin = (await makeUser(t.db, { role: "admin" })).actor;
});
afterAll(async () => t?.cleanup());

const from = (client: string, n = 0) => ({ requestId: `req-${client}-${n}`, client });
const audits = (action: string) => t.db.select().from(auditEntries).where(eq(auditEntries.action, action));

// Fixture accounts hash TEST_PASSWORD at a low cost, so forty checks stay quick.
async function account(email: string) {
  return (await makeUser(t.db, { email, role: "responder" })).user;
}

describe("sign-in throttling", () => {
  it("40 parallel sign-ins with 39 wrong passwords issue no session: attempts are counted before any password is checked", async () => {
    await account("race@example.test");
    const attempts = Array.from({ length: 39 }, (_, i) => authenticate(t.db, "race@example.test", `wrong-${i}`, from("10.0.0.9", i)));
    attempts.push(authenticate(t.db, "race@example.test", TEST_PASSWORD, from("10.0.0.9", 39)));
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.ok)).toHaveLength(0);
    const throttled = results.filter((r) => !r.ok && r.reason === "throttled");
    // Only the free attempts and the one that started the wait reached the password check.
    expect(throttled.length).toBeGreaterThanOrEqual(40 - 6);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "throttled" });
    expect((results.at(-1) as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
  });

  it("wrong passwords from one address do not stop the right password from another", async () => {
    await account("victim@example.test");
    for (let i = 0; i < 12; i++) await authenticate(t.db, "victim@example.test", "guess", from("203.0.113.7", i));
    expect(await authenticate(t.db, "victim@example.test", TEST_PASSWORD, from("203.0.113.7", 99))).toMatchObject({ ok: false, reason: "throttled" });
    expect(await authenticate(t.db, "victim@example.test", TEST_PASSWORD, from("198.51.100.2"))).toMatchObject({ ok: true });
  });

  it("waits grow with each further failure, and attempts refused while waiting do not extend the wait", async () => {
    await account("slow@example.test");
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await authenticate(t.db, "slow@example.test", "guess", from("10.1.1.1", i)));
    expect(results.slice(0, 5).every((r) => !r.ok && r.reason === "invalid" && r.retryAfterSeconds === undefined)).toBe(true);
    // The sixth failure says how long to wait: 30 s.
    expect(results[5]).toMatchObject({ ok: false, reason: "invalid" });
    const first = (results[5] as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(first).toBeGreaterThan(25);
    expect(first).toBeLessThanOrEqual(30);
    const refused = await authenticate(t.db, "slow@example.test", "guess", from("10.1.1.1", 7));
    expect(refused).toMatchObject({ ok: false, reason: "throttled" });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(first);
    // Pretend the wait passed: the next failure doubles it.
    await t.db.execute(`update sign_in_throttles set blocked_until = now() - interval '1 second' where email = 'slow@example.test'` as never);
    const next = await authenticate(t.db, "slow@example.test", "guess", from("10.1.1.1", 8));
    expect((next as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(55);
    expect(waitInWords(30)).toBe("30 seconds");
    expect(waitInWords(600)).toBe("10 minutes");
  });

  it("an admin sees the wait, clears it (audited) and the person signs in; other roles may not", async () => {
    await account("locked@example.test");
    for (let i = 0; i < 7; i++) await authenticate(t.db, "locked@example.test", "guess", from("10.2.2.2", i));
    expect((await listSignInWaits({ actor: admin, db: t.db })).map((w) => w.email)).toContain("locked@example.test");
    const commander = (await makeUser(t.db, { role: "commander" })).actor;
    await expect(unlockSignIns({ actor: commander, db: t.db }, { email: "locked@example.test" })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await unlockSignIns({ actor: admin, db: t.db }, { email: "locked@example.test" })).toEqual({ email: "locked@example.test", cleared: 1 });
    expect((await audits("user.sign_in.unlock")).at(-1)).toMatchObject({ actorEmail: admin.email });
    expect(await authenticate(t.db, "locked@example.test", TEST_PASSWORD, from("10.2.2.2", 9))).toMatchObject({ ok: true });
  });

  it("a password reset sets the new password, clears waits and ends sessions, audited; only admins", async () => {
    const user = await account("forgot@example.test");
    for (let i = 0; i < 7; i++) await authenticate(t.db, "forgot@example.test", "guess", from("10.3.3.3", i));
    const responder = (await makeUser(t.db, { role: "responder" })).actor;
    await expect(resetPassword({ actor: responder, db: t.db }, { userId: user.id, password: "brand-new-password" })).rejects.toBeInstanceOf(ForbiddenError);
    const [before] = await t.db.select().from(users).where(eq(users.id, user.id));
    await resetPassword({ actor: admin, db: t.db }, { email: "forgot@example.test", password: "brand-new-password" });
    const [after] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(await authenticate(t.db, "forgot@example.test", TEST_PASSWORD, from("10.3.3.3", 8))).toMatchObject({ ok: false, reason: "invalid" });
    expect(await authenticate(t.db, "forgot@example.test", "brand-new-password", from("10.3.3.3", 9))).toMatchObject({ ok: true });
    const [entry] = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, "user.password.reset"), eq(auditEntries.targetId, user.id)));
    expect(entry.actorEmail).toBe(admin.email);
    expect(JSON.stringify(entry)).not.toContain("brand-new-password");
  });
});
