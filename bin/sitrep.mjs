#!/usr/bin/env node
// Runs the TypeScript CLI with tsx. The react-server condition lets lib/ modules marked
// "server-only" load outside Next.js.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx", { paths: [root] });
const child = spawn(
  process.execPath,
  ["--conditions=react-server", "--import", tsx, path.join(root, "cli", "main.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", cwd: process.cwd(), env: process.env },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
