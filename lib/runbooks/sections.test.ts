import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { importRunbooks } from "./import";
import { findSectionsTitled } from "./sections";

// A trigger names its playbook by title; seed 002 has the playbooks as sections.
let t: TestDatabase;
let slug: string;
beforeAll(async () => {
  t = await createTestDb();
  const { actor } = await makeUser(t.db, { role: "admin" });
  const seeds = path.resolve(process.cwd(), "../shared/seeds");
  const name = fs.readdirSync(seeds).find((f) => f.startsWith("002"))!;
  const [result] = await importRunbooks({ actor, db: t.db }, [{ name, bytes: new Uint8Array(fs.readFileSync(path.join(seeds, name))) }]);
  if (result.status === "error") throw new Error(result.error);
  slug = result.slug;
});
afterAll(async () => {
  await t?.cleanup();
});

describe("sections by title", () => {
  it("finds a playbook's section in the current revision, case and spacing aside", async () => {
    const [match, ...rest] = await findSectionsTitled(t.db, "queue depth  rising, no dispatch");
    expect(rest).toEqual([]);
    expect(match).toMatchObject({ slug, sectionTitle: "Queue depth rising, no dispatch", sectionId: expect.stringMatching(/^queue-depth-rising-no-dispatch/) });
    expect(await findSectionsTitled(t.db, "Failed deploy after schema change")).toHaveLength(1);
    expect(await findSectionsTitled(t.db, "A playbook nobody wrote")).toEqual([]);
    expect(await findSectionsTitled(t.db, "  ")).toEqual([]);
  });
});
