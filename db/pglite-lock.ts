import fs from "node:fs";
import path from "node:path";
import { DatabaseLockedError } from "@/lib/errors";
import { isProcessAlive } from "@/lib/process-alive";

// PGlite has no lock between processes: two writers on one folder silently lose rows.
// A pid file next to the data folder makes the second process fail loudly instead.

type LockInfo = { pid: number; command: string; startedAt: string };

function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

// Folders this process holds; one exit hook releases them all (one hook per folder piled up
// listeners in processes that open many databases, such as the test runner).
const held = new Set<string>();
let exitHookInstalled = false;
function releaseHeldOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const dataDir of held) releasePgliteLock(dataDir);
  });
}

export function lockFileFor(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, "")}.lock`;
}

/** Takes the folder's lock for this process or throws DatabaseLockedError naming the holder. */
export function acquirePgliteLock(dataDir: string): void {
  const file = lockFileFor(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const mine: LockInfo = {
    pid: process.pid,
    command: process.argv.slice(1).join(" ").slice(0, 200),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: "wx", mode: 0o600 });
      held.add(dataDir);
      releaseHeldOnExit();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readLock(file);
    if (holder?.pid === process.pid) return;
    if (holder && isProcessAlive(holder.pid)) {
      throw new DatabaseLockedError(
        `The embedded database at ${dataDir} is in use by process ${holder.pid} (${holder.command}) since ${holder.startedAt}. ` +
          `Stop that process first, or set DATABASE_URL to share a PostgreSQL server between processes.`,
      );
    }
    // The holder died without cleaning up: the lock is stale.
    fs.rmSync(file, { force: true });
  }
  throw new DatabaseLockedError(`Could not take the lock ${file}; another process keeps racing for it.`);
}

export function releasePgliteLock(dataDir: string): void {
  held.delete(dataDir);
  const file = lockFileFor(dataDir);
  if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
}
