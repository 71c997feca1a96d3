import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, type Database } from "@/db/client";
import { env } from "@/lib/env";

/** `url`: the PostgreSQL connection string, for a child process sharing the database. */
export type TestDatabase = Database & { cleanup: () => Promise<void>; url?: string };

/**
 * A fresh, migrated database for one test file: a new PGlite folder, or a new database on the
 * local PostgreSQL, depending on SITREP_TEST_DRIVER (or `driver`). Never reuses state between runs.
 */
export async function createTestDb(options: { driver?: "pglite" | "postgres" } = {}): Promise<TestDatabase> {
  // A test about several processes sharing one database asks for PostgreSQL whatever the run's driver.
  if ((options.driver ?? env.SITREP_TEST_DRIVER) === "postgres") {
    const name = `${env.SITREP_TEST_DB_PREFIX}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = postgres(env.SITREP_TEST_PG_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(env.SITREP_TEST_PG_URL);
    url.pathname = `/${name}`;
    const database = await openDatabase({ url: url.toString() });
    return {
      ...database,
      url: url.toString(),
      cleanup: async () => {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-test-"));
  // A migrated, empty template made by lib/testing/global-setup.ts for this run.
  if (env.SITREP_TEST_PGLITE_TEMPLATE) fs.cpSync(env.SITREP_TEST_PGLITE_TEMPLATE, path.join(dir, "pglite"), { recursive: true });
  const database = await openDatabase({ dataDir: path.join(dir, "pglite") });
  return {
    ...database,
    cleanup: async () => {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
