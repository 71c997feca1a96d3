import "server-only";
import fs from "node:fs";
import os from "node:os";
import { and, eq, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { consoleRunners } from "@/db/schema";
import { isProcessAlive } from "@/lib/process-alive";

// Which console processes are alive. Each one that runs steps or drives drills beats every
// HEARTBEAT_MS. A runner is dead when it has no row, when its pid is gone in our own boot and pid
// namespace (a restart), or when it has not beaten for STALE_AFTER_MS — the last judged only by
// a process that has itself beaten without a gap for that long, so that after a database outage
// nobody declares the others dead before they had a chance to beat again. Times come from the
// database, so clocks need not agree; liveness is judged inside the statement that settles work.

export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 35_000;
const STALE = sql.raw(`interval '${STALE_AFTER_MS / 1000} seconds'`);

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return fallback;
  }
}

/** This process's boot and pid namespace ("" where it cannot be known: then pids are not trusted). */
function namespaceOf(): string {
  if (process.platform !== "linux") return "";
  const boot = readOr("/proc/sys/kernel/random/boot_id", "");
  let pidNs = "";
  try {
    pidNs = fs.readlinkSync("/proc/self/ns/pid");
  } catch {
    // Not readable: leave the pid check off.
  }
  return boot && pidNs ? `${boot}:${pidNs}` : "";
}
/** This process's namespace (exported for tests that play other processes). */
export const RUNNER_NAMESPACE = namespaceOf();
const NAMESPACE = RUNNER_NAMESPACE;

export async function beat(db: Db, runnerId: string): Promise<void> {
  await db
    .insert(consoleRunners)
    .values({ id: runnerId, host: os.hostname(), namespace: NAMESPACE, pid: process.pid })
    .onConflictDoUpdate({
      target: consoleRunners.id,
      set: {
        heartbeatAt: sql`now()`,
        // A gap in our own beats (an outage) starts the count again.
        beatingSince: sql`case when ${consoleRunners.heartbeatAt} < now() - ${STALE} then now() else ${consoleRunners.beatingSince} end`,
      },
    });
}

// Databases this process beats on (a test process opens several).
const beating = new WeakSet<Db>();

/**
 * Any process that runs steps or drives drills beats while it lives, the CLI included: without
 * it, a console sharing the database would take the CLI's work for orphaned.
 */
export async function ensureBeating(db: Db, runnerId: string): Promise<void> {
  if (beating.has(db)) return;
  await beat(db, runnerId);
  beating.add(db);
  setInterval(() => void beat(db, runnerId).catch(() => undefined), HEARTBEAT_MS).unref();
}

/** Runners in our own namespace whose pid is gone: dead at once, heartbeat or not. */
async function deadByPid(db: Db, self: string): Promise<string[]> {
  if (!NAMESPACE) return [];
  const rows = await db
    .select({ id: consoleRunners.id, pid: consoleRunners.pid })
    .from(consoleRunners)
    .where(and(eq(consoleRunners.namespace, NAMESPACE), ne(consoleRunners.id, self)));
  return rows.filter((r) => !isProcessAlive(r.pid)).map((r) => r.id);
}

/**
 * A condition on a runner-id column: true where that runner is dead. Null ids are not covered
 * (callers say what a null means to them); `self` is never dead.
 */
export async function runnerIsDead(db: Db, column: AnyPgColumn, self: string): Promise<SQL> {
  const byPid = await deadByPid(db, self);
  const noRow = sql`not exists (select 1 from ${consoleRunners} r where r.id = ${column})`;
  const selfJudges = sql`exists (select 1 from ${consoleRunners} me where me.id = ${self} and me.beating_since <= now() - ${STALE})`;
  const stale = sql`not exists (select 1 from ${consoleRunners} r where r.id = ${column} and r.heartbeat_at > now() - ${STALE})`;
  return and(ne(column, self), or(byPid.length ? inArray(column, byPid) : sql`false`, noRow, and(selfJudges, stale)))!;
}

/** Runner ids alive now as far as this process can tell (for refusing a second driver). */
export async function isRunnerAlive(db: Db, runnerId: string, self: string): Promise<boolean> {
  if (runnerId === self) return true;
  const [row] = await db
    .select({ dead: sql<boolean>`${await runnerIsDead(db, consoleRunners.id, self)}` })
    .from(consoleRunners)
    .where(eq(consoleRunners.id, runnerId));
  return !!row && !row.dead;
}

/** Forgets processes that stopped beating a day ago (their work was settled long since). */
export async function forgetOldRunners(db: Db): Promise<void> {
  await db.delete(consoleRunners).where(sql`${consoleRunners.heartbeatAt} < now() - interval '1 day'`);
}

