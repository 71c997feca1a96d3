#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (each prints its own numbers) one after another.
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
let failed = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", tsx, path.join(root, "bench", file)], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
