import "server-only";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { log } from "@/lib/log";

// The parse worker as one plain module, compiled with esbuild (tsx's own compiler, a dependency)
// and kept under node_modules/.cache/sitrep until a source it was built from changes. Compiling
// the TypeScript in each worker with tsx cost about 45 MB resident and 0.6 s per worker (tsx runs
// a loader thread of its own beside every worker); the bundle starts in a tenth of that and about
// 15 MB. Without esbuild or a writable cache the worker still runs through tsx.

type Manifest = { inputs: Record<string, [mtimeMs: number, size: number]> };

// The name changes with the banner: a bundle cached with an older banner is not reused.
const OUTPUT = "runbook-parse-worker-2.mjs";
// A bundled CommonJS dependency may call require() for Node's own modules.
// The worker lowers its own priority before anything else runs (worker-main.ts does it again for
// the unbundled entry): starting a worker, which evaluates the parser's modules, then yields the
// CPU to the request event loop too, not only parsing.
const BANNER = [
  'import { createRequire as __sitrepRequire } from "node:module";',
  'import { setPriority as __sitrepSetPriority } from "node:os";',
  "const require = __sitrepRequire(import.meta.url);",
  "try { __sitrepSetPriority(5); } catch {}",
].join(" ");

/** The bundled worker for this source entry (…/lib/runbooks/parse/worker.mjs), built if stale; null when it cannot be. */
export async function bundledWorkerFile(sourceEntry: string): Promise<string | null> {
  const parseDir = path.dirname(sourceEntry);
  const root = path.resolve(/* turbopackIgnore: true */ parseDir, "../../..");
  const cacheDir = path.join(/* turbopackIgnore: true */ root, "node_modules", ".cache", "sitrep");
  const output = path.join(/* turbopackIgnore: true */ cacheDir, OUTPUT);
  const manifestFile = `${output}.json`;
  try {
    if (isFresh(root, output, manifestFile)) return output;
    const esbuild = createRequire(path.join(/* turbopackIgnore: true */ root, "package.json"))("esbuild") as typeof import("esbuild");
    const result = await esbuild.build({
      entryPoints: [path.join(/* turbopackIgnore: true */ parseDir, "worker-main.ts")],
      absWorkingDir: root,
      tsconfig: path.join(/* turbopackIgnore: true */ root, "tsconfig.json"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      banner: { js: BANNER },
      metafile: true,
      write: false,
      logLevel: "silent",
    });
    const manifest: Manifest = { inputs: {} };
    for (const input of Object.keys(result.metafile.inputs)) {
      const stat = fs.statSync(path.resolve(/* turbopackIgnore: true */ root, input));
      manifest.inputs[input] = [stat.mtimeMs, stat.size];
    }
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed: another process may be reading or building the same files.
    const suffix = `.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(output + suffix, result.outputFiles[0].contents);
    fs.renameSync(output + suffix, output);
    fs.writeFileSync(manifestFile + suffix, JSON.stringify(manifest));
    fs.renameSync(manifestFile + suffix, manifestFile);
    return output;
  } catch (error) {
    log.warn("runbook_parse_worker_unbundled", { error: String(error).slice(0, 300) });
    return null;
  }
}

/** The bundle exists and every file it was built from is as it was then. */
function isFresh(root: string, output: string, manifestFile: string): boolean {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
    if (!fs.existsSync(output)) return false;
  } catch {
    return false;
  }
  for (const [input, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
    try {
      const stat = fs.statSync(path.resolve(/* turbopackIgnore: true */ root, input));
      if (stat.mtimeMs !== mtimeMs || stat.size !== size) return false;
    } catch {
      return false;
    }
  }
  return Object.keys(manifest.inputs).length > 0;
}
