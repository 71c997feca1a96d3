import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { tightenDataFolder } from "./data-folder";

// Issue 13 finding 3: the embedded database's files were 0666 in a 0755 folder. A fresh data
// folder, opened as the console opens it (start check, then the real PGlite), holds only
// owner-only folders (0700) and files (0600), also after writes and after close. The embedded
// database is the subject here, so this test uses PGlite under either test driver.

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-modes-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function modes(dir: string): { dirs: Set<string>; files: Set<string>; count: number } {
  const dirs = new Set<string>();
  const files = new Set<string>();
  let count = 0;
  const visit = (p: string) => {
    const stat = fs.lstatSync(p);
    const mode = (stat.mode & 0o777).toString(8);
    count++;
    if (stat.isDirectory()) {
      dirs.add(mode);
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else files.add(mode);
  };
  visit(dir);
  return { dirs, files, count };
}

describe("data folder permissions", () => {
  it("a fresh data folder is 0700 with every file 0600, PGlite's included, while open and after close", async () => {
    const dataDir = path.join(root, "fresh", "data");
    expect(tightenDataFolder(dataDir)).toEqual([]);
    fs.writeFileSync(path.join(dataDir, "agent-secret"), "s3cret", { mode: 0o600 });
    const database = await openDatabase({ dataDir: path.join(dataDir, "pglite"), migrate: false });
    await database.db.execute(sql`create table probe (secret text)`);
    await database.db.execute(sql`insert into probe values ('webhook-secret-value')`);
    let seen = modes(dataDir);
    expect(seen.count).toBeGreaterThan(100);
    expect([...seen.dirs]).toEqual(["700"]);
    expect([...seen.files]).toEqual(["600"]);
    await database.close();
    seen = modes(dataDir);
    expect([...seen.dirs]).toEqual(["700"]);
    expect([...seen.files]).toEqual(["600"]);
  }, 120_000);

  it("reports and fixes what something else loosened", () => {
    const dataDir = path.join(root, "loosened");
    tightenDataFolder(dataDir);
    fs.mkdirSync(path.join(dataDir, "pglite"), { mode: 0o755 });
    fs.writeFileSync(path.join(dataDir, "pglite", "PG_VERSION"), "17");
    fs.chmodSync(path.join(dataDir, "pglite", "PG_VERSION"), 0o666);
    fs.chmodSync(dataDir, 0o755);
    const loose = tightenDataFolder(dataDir);
    expect(loose.sort()).toEqual([dataDir, path.join(dataDir, "pglite"), path.join(dataDir, "pglite", "PG_VERSION")].sort());
    expect(modes(dataDir)).toMatchObject({ dirs: new Set(["700"]), files: new Set(["600"]) });
    expect(tightenDataFolder(dataDir)).toEqual([]);
  });
});
