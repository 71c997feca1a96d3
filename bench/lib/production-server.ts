// What the benchmarks that drive a real production server share: the build check, the health
// wait, and the server's own CPU use (for numbers that hold on a machine shared with others).
import fs from "node:fs";
import path from "node:path";

/** Exits with a clear message when there is no production build in `dist`. */
export function requireBuild(root: string, dist: string) {
  if (!fs.existsSync(path.join(root, dist, "BUILD_ID"))) {
    console.error(`No production build in ${dist}: run \`SITREP_DIST_DIR=${dist} npx next build\` first.`);
    process.exit(1);
  }
}

export async function waitForHealth(base: string, timeoutMs = 60_000) {
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("the server did not become healthy");
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
export function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
