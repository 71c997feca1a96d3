import "server-only";
import os from "node:os";
import { gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { consoleRunners } from "@/db/schema";
import { isProcessAlive } from "@/lib/process-alive";

// Which console processes are alive. Each one beats every HEARTBEAT_MS; a process that has not
// beaten for STALE_AFTER_MS, or whose pid is gone on this same host (a restart), is dead, and
// the work it was doing is orphaned. Times come from the database, so clocks need not agree.

export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 35_000;

export async function beat(db: Db, runnerId: string): Promise<void> {
  await db
    .insert(consoleRunners)
    .values({ id: runnerId, host: os.hostname(), pid: process.pid })
    .onConflictDoUpdate({ target: consoleRunners.id, set: { heartbeatAt: sql`now()` } });
}

// Databases this process beats on (a test process opens several).
const beating = new WeakSet<Db>();

/**
 * Any process that runs steps or drives drills beats while it lives, the CLI included: without
 * it, a console sharing the database would take the CLI's work for orphaned.
 */
export async function ensureBeating(db: Db, runnerId: string): Promise<void> {
  if (beating.has(db)) return;
  beating.add(db);
  await beat(db, runnerId);
  setInterval(() => void beat(db, runnerId).catch(() => undefined), HEARTBEAT_MS).unref();
}

/** Ids of the console processes alive now (always including `self`). */
export async function liveRunnerIds(db: Db, self: string): Promise<string[]> {
  const rows = await db
    .select({ id: consoleRunners.id, host: consoleRunners.host, pid: consoleRunners.pid })
    .from(consoleRunners)
    .where(gt(consoleRunners.heartbeatAt, sql`now() - make_interval(secs => ${STALE_AFTER_MS / 1000})`));
  const here = os.hostname();
  const live = rows.filter((r) => r.id === self || r.host !== here || isProcessAlive(r.pid)).map((r) => r.id);
  return live.includes(self) ? live : [...live, self];
}

/** Forgets processes that stopped beating a day ago (their work was settled long since). */
export async function forgetOldRunners(db: Db): Promise<void> {
  await db.delete(consoleRunners).where(sql`${consoleRunners.heartbeatAt} < now() - interval '1 day'`);
}
