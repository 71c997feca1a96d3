import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { createUser, changeUserRole, setUserDisabled } from "@/lib/auth/users";
import { auditEntries } from "@/db/schema";
import { verifyAuditChain, writeAudit } from "@/lib/audit";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t.cleanup());

describe(`audit chain (${process.env.SITREP_TEST_DRIVER ?? "pglite"})`, () => {
  it("verifies after a series of changes, then names the row altered by SQL", async () => {
    const { actor } = await makeUser(t.db, { role: "admin" });
    const ctx = { actor, db: t.db };
    const viewer = await createUser(ctx, { email: "v@example.test", name: "V", role: "viewer", password: "long-enough-password" });
    const promoted = await changeUserRole(ctx, { userId: viewer.id, role: "responder", version: viewer.version });
    await setUserDisabled(ctx, { userId: viewer.id, disabled: true, version: promoted.version });
    // Concurrent writers must still form one chain.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.db.transaction((tx) => writeAudit(tx, { actor, action: "test.concurrent", targetType: "test", targetId: String(i) }))),
    );
    const ok = await verifyAuditChain(t.db);
    expect(ok).toMatchObject({ ok: true, entries: 13 });

    await t.db.execute(sql`update audit_entries set after = '{"role":"admin"}'::jsonb where seq = 3`);
    const broken = await verifyAuditChain(t.db);
    expect(broken).toMatchObject({ ok: false, brokenSeq: 3 });
    expect(broken.ok ? "" : broken.reason).toMatch(/altered/);
  });

  it("detects a deleted row in the middle and at the end", async () => {
    const fresh = await createTestDb();
    try {
      const { actor } = await makeUser(fresh.db, { role: "admin" });
      for (let i = 0; i < 4; i++) await fresh.db.transaction((tx) => writeAudit(tx, { actor, action: "test.entry", targetType: "test" }));
      await fresh.db.execute(sql`delete from audit_entries where seq = 4`);
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, brokenSeq: 4 });
      await fresh.db.execute(sql`delete from audit_entries where seq = 2`);
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, brokenSeq: 2 });
    } finally {
      await fresh.cleanup();
    }
  });

  it("stores entries with actor, role, action, target, before, after and request id", async () => {
    const rows = await t.db.select().from(auditEntries).where(sql`action = 'user.role.change'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorRole: "admin", targetType: "user", before: { role: "viewer" }, after: { role: "responder" } });
    expect(rows[0].requestId).toBeTruthy();
  });
});
