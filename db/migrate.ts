import path from "node:path";
import fs from "node:fs";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

// Several app instances may start together against one PostgreSQL: one migrates, the rest wait
// on a session lock held by a dedicated connection.
const MIGRATION_LOCK = 7270001;

export async function runMigrations(database: Database): Promise<void> {
  if (database.driver === "pglite") {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  const reserved = await database.postgresClient!.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(database.db as never, { migrationsFolder });
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    reserved.release();
  }
}

export type MigrationState = { applied: number; available: number; pending: number; latest: string | null };

let journalCache: { entries: { tag: string }[] } | undefined;

export async function migrationState(database: Database): Promise<MigrationState> {
  // The journal ships with the build and never changes while running: read once (health polls this).
  const journal = (journalCache ??= JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] });
  const result = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  const applied = rows[0]?.n ?? 0;
  const available = journal.entries.length;
  return { applied, available, pending: Math.max(0, available - applied), latest: journal.entries.at(-1)?.tag ?? null };
}
