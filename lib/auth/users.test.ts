import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEntries, users } from "@/db/schema";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { changeUserRole, createUser, listUsers, setUserDisabled } from "./users";
import { authenticate } from "./sign-in";
import { bootstrapAdmin } from "./bootstrap";
import { roleFromClaims } from "./oidc";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t.cleanup());

const audits = (action: string, targetId: string) =>
  t.db.select().from(auditEntries).where(and(eq(auditEntries.action, action), eq(auditEntries.targetId, targetId)));

describe("users", () => {
  it("an admin creates a user; the password is hashed and the creation audited without it", async () => {
    const { actor } = await makeUser(t.db, { role: "admin" });
    const user = await createUser({ actor, db: t.db }, { email: " New@Example.test ", name: "New", role: "viewer", password: "a-long-password" });
    expect(user.email).toBe("new@example.test");
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    const [entry] = await audits("user.create", user.id);
    expect(entry.actorEmail).toBe(actor.email);
    expect(JSON.stringify(entry.after)).not.toContain("$2");
  });

  it("refuses roles other than admin, and rejects bad input with every field's message", async () => {
    for (const role of ["commander", "responder", "viewer"] as const) {
      const { actor } = await makeUser(t.db, { role });
      await expect(createUser({ actor, db: t.db }, { email: "x@example.test", name: "X", role: "admin", password: "a-long-password" })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(listUsers({ actor, db: t.db })).rejects.toBeInstanceOf(ForbiddenError);
    }
    const { actor } = await makeUser(t.db, { role: "admin" });
    const error = await createUser({ actor, db: t.db }, { email: "nope", name: "", role: "root", password: "short" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fieldErrors).sort()).toEqual(["email", "name", "password", "role"]);
  });

  it("changes roles and disables with optimistic concurrency, audited, keeping one active admin", async () => {
    const { actor, user: admin } = await makeUser(t.db, { role: "admin" });
    const ctx = { actor, db: t.db };
    const target = await createUser(ctx, { email: "role@example.test", name: "R", role: "viewer", password: "a-long-password" });
    const changed = await changeUserRole(ctx, { userId: target.id, role: "commander", version: target.version });
    expect(changed.role).toBe("commander");
    await expect(changeUserRole(ctx, { userId: target.id, role: "viewer", version: target.version })).rejects.toBeInstanceOf(ConflictError);
    expect(await audits("user.role.change", target.id)).toHaveLength(1);
    const disabled = await setUserDisabled(ctx, { userId: target.id, disabled: true, version: changed.version });
    expect(disabled.disabledAt).not.toBeNull();
    expect(await audits("user.disable", target.id)).toHaveLength(1);
    await expect(setUserDisabled(ctx, { userId: admin.id, disabled: true, version: 1 })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("sign-in", () => {
  it("audits success and failure, refuses disabled accounts, and slows down repeated failures", async () => {
    const { actor } = await makeUser(t.db, { role: "admin" });
    const user = await createUser({ actor, db: t.db }, { email: "signin@example.test", name: "S", role: "responder", password: "right-password-1" });
    expect(await authenticate(t.db, "SIGNIN@example.test", "right-password-1", { requestId: "req-1", client: "10.0.0.1" })).toMatchObject({ ok: true });
    expect(await audits("auth.sign_in.success", user.id)).toHaveLength(1);

    for (let i = 0; i < 5; i++) expect(await authenticate(t.db, "signin@example.test", "wrong", { requestId: `req-f${i}`, client: "10.0.0.1" })).toEqual({ ok: false, reason: "invalid" });
    expect(await audits("auth.sign_in.failure", user.id)).toHaveLength(5);
    // The sixth failure starts the back-off; even the right password waits now.
    await authenticate(t.db, "signin@example.test", "wrong", { requestId: "req-f6", client: "10.0.0.1" });
    const throttled = await authenticate(t.db, "signin@example.test", "right-password-1", { requestId: "req-ok", client: "10.0.0.1" });
    expect(throttled).toMatchObject({ ok: false, reason: "throttled" });
    expect((throttled as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);

    // Unknown accounts are throttled the same way, so the answer does not reveal which exist.
    expect(await authenticate(t.db, "ghost@example.test", "whatever", { requestId: "req-g", client: "10.0.0.1" })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a disabled account even with the right password", async () => {
    const { actor } = await makeUser(t.db, { role: "admin" });
    const ctx = { actor, db: t.db };
    const user = await createUser(ctx, { email: "gone@example.test", name: "G", role: "viewer", password: "right-password-2" });
    await setUserDisabled(ctx, { userId: user.id, disabled: true, version: user.version });
    expect(await authenticate(t.db, "gone@example.test", "right-password-2", { requestId: "req-d", client: "10.0.0.1" })).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("first start", () => {
  it("creates an admin with a generated password only when there are no users", async () => {
    const fresh = await createTestDb();
    try {
      const first = await bootstrapAdmin(fresh.db, { email: "boss@example.test" });
      expect(first.created).toBe(true);
      expect(first.generatedPassword).toHaveLength(24);
      expect(await authenticate(fresh.db, "boss@example.test", first.generatedPassword!, { requestId: "req-b", client: "10.0.0.1" })).toMatchObject({ ok: true });
      expect((await bootstrapAdmin(fresh.db, { email: "other@example.test", password: "x".repeat(12) })).created).toBe(false);
    } finally {
      await fresh.cleanup();
    }
  });
});

describe("OIDC role mapping", () => {
  it("maps a claim (string or list) to the most powerful matching role", () => {
    const map = "sre=responder,sre-leads=commander,platform-admins=admin";
    expect(roleFromClaims({ groups: ["sre", "sre-leads"] }, "groups", map, "viewer")).toBe("commander");
    expect(roleFromClaims({ groups: "platform-admins" }, "groups", map, "viewer")).toBe("admin");
    expect(roleFromClaims({ groups: ["marketing"] }, "groups", map, "viewer")).toBe("viewer");
    expect(roleFromClaims({}, undefined, undefined, "responder")).toBe("responder");
  });
});
