import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { users } from "@/db/schema";
import { verifyAuditChain } from "@/lib/audit";
import { createUser } from "@/lib/auth/users";
import { systemActor } from "@/lib/actor";
import { lockFileFor } from "./pglite-lock";

const root = path.resolve(import.meta.dirname, "..");
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-lock-"));
const dataDir = path.join(dataRoot, "pglite");
afterAll(() => fs.rmSync(dataRoot, { recursive: true, force: true }));

/** The real CLI in a second process, on the same data folder. */
function cli(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, "bin", "sitrep.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, SITREP_DATA_DIR: dataRoot, DATABASE_URL: "" },
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("embedded database lock", () => {
  it("refuses a second process on the same folder with a clear message, and loses no write", async () => {
    const first = await openDatabase({ dataDir });
    const ctx = { actor: systemActor(), db: first.db };
    await createUser(ctx, { email: "one@example.test", name: "One", role: "viewer", password: "a-long-password" });

    const refused = cli("users", "create", "--email", "two@example.test", "--role", "viewer", "--password", "a-long-password");
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(`is in use by process ${process.pid}`);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);

    await createUser(ctx, { email: "three@example.test", name: "Three", role: "viewer", password: "a-long-password" });
    await first.close();
    expect(fs.existsSync(lockFileFor(dataDir))).toBe(false);

    // With the folder free, the second process works, and every write made by either is there.
    const accepted = cli("users", "create", "--email", "two@example.test", "--role", "viewer", "--password", "a-long-password");
    expect(accepted.stderr).toBe("");
    expect(accepted.status).toBe(0);
    const again = await openDatabase({ dataDir });
    const [{ n }] = await again.db.select({ n: count() }).from(users);
    expect(n).toBe(3);
    expect(await verifyAuditChain(again.db)).toMatchObject({ ok: true, entries: 3 });
    await again.close();
  }, 240_000);

  it("takes over a lock left by a process that died", async () => {
    const own = await openDatabase({ dataDir: path.join(dataRoot, "stale", "pglite") });
    await createUser({ actor: systemActor(), db: own.db }, { email: "kept@example.test", name: "Kept", role: "viewer", password: "a-long-password" });
    await own.close();
    fs.writeFileSync(lockFileFor(path.join(dataRoot, "stale", "pglite")), JSON.stringify({ pid: 2 ** 22 - 7, command: "crashed", startedAt: new Date(0).toISOString() }));
    const listed = spawnSync(process.execPath, [path.join(root, "bin", "sitrep.mjs"), "users", "list", "--json"], {
      cwd: root,
      env: { ...process.env, SITREP_DATA_DIR: path.join(dataRoot, "stale"), DATABASE_URL: "" },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(listed.stderr).toBe("");
    expect(JSON.parse(listed.stdout).map((u: { email: string }) => u.email)).toEqual(["kept@example.test"]);
  }, 180_000);
});
