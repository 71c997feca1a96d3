import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/client";

// Creating and migrating a PGlite database takes seconds; copying a migrated one takes a fraction.
// One template per test run (never reused across runs), copied by createTestDb for each file.
export default async function setup() {
  if ((process.env.SITREP_TEST_DRIVER ?? "pglite") !== "pglite") return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-pglite-template-"));
  const database = await openDatabase({ dataDir: path.join(dir, "pglite") });
  await database.close();
  process.env.SITREP_TEST_PGLITE_TEMPLATE = path.join(dir, "pglite");
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
