#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (each prints its own numbers) one after another.
//
// A bench runs compiled into one module (esbuild, packages left to node_modules), the way the
// console runs its code in production: under tsx, TypeScript is compiled on the fly in a loader
// thread of tsx's own, about 60 MB resident that the console does not carry and that would count
// in the memory figures. A bench whose code finds files beside its own modules
// (`import.meta.dirname`, as refenv/ and agent/ do) cannot be moved, and runs through tsx.
// SITREP_BENCH_TSX=1 runs them all through tsx (what `sitrep` on the command line does).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { root } from "./lib/stack.mjs";

const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx", { paths: [root] });
const only = process.argv[2];
const files = fs
  .readdirSync(path.join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts") && (!only || f.includes(only)))
  .sort();

/** The bench compiled to one module, or null when it must run through tsx. */
function compiled(file) {
  if (process.env.SITREP_BENCH_TSX === "1") return null;
  const outfile = path.join(root, "node_modules", ".cache", "sitrep", "bench", file.replace(/\.ts$/, ".mjs"));
  try {
    const esbuild = require(require.resolve("esbuild", { paths: [root] }));
    esbuild.buildSync({
      entryPoints: [path.join(root, "bench", file)],
      outfile,
      absWorkingDir: root,
      tsconfig: path.join(root, "tsconfig.json"),
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["react-server"],
      logLevel: "silent",
    });
    return /import\.meta\.(dirname|filename)|fileURLToPath\(import\.meta\.url\)/.test(fs.readFileSync(outfile, "utf8")) ? null : outfile;
  } catch (error) {
    console.log(`(${file} runs through tsx: it could not be compiled to one module: ${String(error).split("\n")[0]})`);
    return null;
  }
}

let failed = 0;
for (const file of files) {
  const bundle = compiled(file);
  console.log(`\n== ${file}${bundle ? "" : " (through tsx)"}`);
  const entry = bundle ? [bundle] : ["--import", tsx, path.join(root, "bench", file)];
  const result = spawnSync(process.execPath, ["--conditions=react-server", ...entry], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
