#!/usr/bin/env node
// README command 1: build when needed, then start the console with an embedded database.
// Usage: node scripts/start.mjs [--port 3000]
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildIsStale, root, runBuild, startConsole, waitForHealth } from "./lib/stack.mjs";

const args = process.argv.slice(2);
const port = Number(args[args.indexOf("--port") + 1] || process.env.PORT || 3000) || 3000;

// A stable secret for session cookies, generated once per data folder unless AUTH_SECRET is set.
const dataDir = path.resolve(process.env.SITREP_DATA_DIR || path.join(root, ".data"));
fs.mkdirSync(dataDir, { recursive: true });
const secretFile = path.join(dataDir, "auth-secret");
if (!process.env.AUTH_SECRET && !fs.existsSync(secretFile)) fs.writeFileSync(secretFile, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
const env = { ...process.env, NODE_ENV: "production", SITREP_DATA_DIR: dataDir, AUTH_SECRET: process.env.AUTH_SECRET || fs.readFileSync(secretFile, "utf8").trim() };

if (buildIsStale(env)) {
  console.log("Building the console (first start or changed sources)…");
  await runBuild(env);
}
startConsole({ port, env });
await waitForHealth(`http://127.0.0.1:${port}/api/health`);
console.log(`\n  Sitrep is running at http://localhost:${port}\n`);
