import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { getImageHosts, setImageHosts } from "./image-hosts";
import { pageContentSecurityPolicy } from "./security-headers.mjs";

// Issue 13 finding 9: images in markdown load only from the console unless an admin allows hosts.

let t: TestDatabase;
let admin: Actor;
beforeAll(async () => {
  t = await createTestDb();
  admin = (await makeUser(t.db, { role: "admin" })).actor;
});
afterAll(async () => t?.cleanup());

describe("allowed image hosts", () => {
  it("an admin sets them (audited, versioned); they land in the pages' img-src and nowhere else", async () => {
    expect(await getImageHosts(t.db)).toEqual({ hosts: [], version: 0 });
    const saved = await setImageHosts({ actor: admin, db: t.db }, { hosts: "https://images.example.com\nhttps://*.cdn.example.net:8443", version: 0 });
    expect(saved).toEqual({ hosts: ["https://images.example.com", "https://*.cdn.example.net:8443"], version: 1 });
    await expect(setImageHosts({ actor: admin, db: t.db }, { hosts: "https://x.example", version: 0 })).rejects.toBeInstanceOf(ConflictError);
    const [entry] = await t.db.select().from(auditEntries).where(eq(auditEntries.action, "settings.image_hosts.update"));
    expect(entry.after).toEqual({ hosts: saved.hosts });
    const policy = pageContentSecurityPolicy({ nonce: "abc", imageHosts: saved.hosts });
    expect(policy).toContain("img-src 'self' data: blob: https://images.example.com https://*.cdn.example.net:8443;");
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(pageContentSecurityPolicy({ nonce: "abc" })).toContain("img-src 'self' data: blob:;");
  });

  it("refuses anything that is not one origin, and other roles", async () => {
    for (const bad of ["*", "'unsafe-inline'", "https://a.example; script-src *", "javascript:alert(1)", "https://a.example/path", "data:"]) {
      await expect(setImageHosts({ actor: admin, db: t.db }, { hosts: bad, version: 1 }), bad).rejects.toBeInstanceOf(ValidationError);
    }
    const commander = (await makeUser(t.db, { role: "commander" })).actor;
    await expect(setImageHosts({ actor: commander, db: t.db }, { hosts: "", version: 1 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
