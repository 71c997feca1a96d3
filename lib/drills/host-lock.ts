import { spawn } from "node:child_process";

// Seeds 000 and 001 touch things every process on this machine shares: the PostgreSQL at
// 127.0.0.1:5432 (app_preview_1..3), /tmp/oroboros-drill, /tmp/oroboros-preview-backend. Whatever
// runs those steps holds one machine-wide lock, the same one `flock /tmp/sitrep-seed-host.lock …`
// takes by hand. Node has no flock, so a `flock` child holds it: it waits for the lock, says so,
// and keeps it until its standard input closes — also when this process dies, so a killed test
// never leaves the lock behind.

export const SEED_HOST_LOCK = "/tmp/sitrep-seed-host.lock";

export type HostLock = { release(): Promise<void> };

/** Waits (up to `timeoutMs`) for the machine-wide seed host lock. */
export function acquireSeedHostLock(options: { file?: string; timeoutMs?: number } = {}): Promise<HostLock> {
  const file = options.file ?? SEED_HOST_LOCK;
  const timeoutS = Math.ceil((options.timeoutMs ?? 15 * 60_000) / 1000);
  // `cat` holds the lock while stdin stays open and prints nothing; the echo says it is taken.
  const child = spawn("flock", ["--exclusive", "--timeout", String(timeoutS), file, "sh", "-c", "echo locked; exec cat >/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.once("error", (error) => reject(new Error(`cannot run flock for ${file}: ${error.message}`)));
    child.once("exit", (code) => reject(new Error(`could not take ${file} within ${timeoutS} s (flock exited ${code}) ${stderr}`.trim())));
    child.stdout.once("data", () => {
      child.removeAllListeners("exit");
      // The lock must not keep a test process alive on its own.
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
      resolve({
        release: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.stdin.end();
          }),
      });
    });
  });
}

/** Runs `fn` while holding the seed host lock. */
export async function withSeedHostLock<T>(fn: () => Promise<T>, options?: { file?: string; timeoutMs?: number }): Promise<T> {
  const lock = await acquireSeedHostLock(options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
