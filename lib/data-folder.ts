import fs from "node:fs";
import path from "node:path";

// The data folder holds the embedded database (whose files and write-ahead log carry agent
// secrets, tokens, password hashes and webhook secrets) and local secret files. Only the owner
// may read it: folders 0700, files 0600 (executables 0700). PGlite creates its files 0666
// whatever the umask, so the console tightens the folder when it opens the database, every
// minute while it runs, and on exit; anything found loose at start is reported.

const GROUP_OTHER = 0o077;

/** Creates the folder owner-only when missing and strips group/other bits below it; returns what was loose. */
export function tightenDataFolder(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const loose: string[] = [];
  const visit = (target: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(target);
    } catch {
      return; // removed meanwhile (PGlite rotates files)
    }
    if (stat.isSymbolicLink()) return;
    if (stat.mode & GROUP_OTHER) {
      loose.push(target);
      try {
        fs.chmodSync(target, stat.mode & 0o700);
      } catch {
        // not ours to change; reported as loose
      }
    }
    if (stat.isDirectory()) {
      let entries: string[] = [];
      try {
        entries = fs.readdirSync(target);
      } catch {
        return;
      }
      for (const entry of entries) visit(path.join(target, entry));
    }
  };
  visit(dir);
  return loose;
}

/** Keeps the folder tight while the process runs (new database files appear 0666). Returns a stop function. */
export function keepDataFolderPrivate(dir: string, intervalMs = 60_000): () => void {
  const timer = setInterval(() => tightenDataFolder(dir), intervalMs);
  timer.unref();
  const onExit = () => tightenDataFolder(dir);
  process.once("exit", onExit);
  return () => {
    clearInterval(timer);
    process.off("exit", onExit);
  };
}
