#!/usr/bin/env node
// README command 1: build when needed, then start the console with an embedded database.
// Also starts the reference environment and a local host agent, registered as the `reference`
// environment (skip with --no-reference or SITREP_REFERENCE=off).
// Usage: node scripts/start.mjs [--port 3000] [--no-reference]
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { buildIsStale, root, runBuild, startConsole, startReference, waitForHealth } from "./lib/stack.mjs";

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
if (!args.includes("--no-reference") && process.env.SITREP_REFERENCE !== "off") {
  // The seeds' ports unless REFENV_BASE_PORT / REFENV_PORT_* say otherwise; the agent on SITREP_AGENT_PORT or 7410.
  const reference = await startReference({ dataDir, env });
  console.log(`  Reference environment: control API ${reference.urls["control-api"]}, runtime API ${reference.urls["runtime-api"]}, host agent ${reference.agentUrl}`);
} else {
  fs.rmSync(path.join(dataDir, "reference.json"), { force: true });
}
startConsole({ port, env });
await waitForHealth(`http://127.0.0.1:${port}/api/health`);
console.log(`\n  Sitrep is running at http://localhost:${port}\n`);
