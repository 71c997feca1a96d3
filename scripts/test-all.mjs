#!/usr/bin/env node
// README command 2 and CI: every test, in order of cost.
//   1. type check   2. Vitest on PGlite   3. Vitest again on PostgreSQL (a fresh database per test file)
//   4. production build   5. fresh-start smoke (no data folder → sign-in page)
//   6. supervised processes under npm start (scripts/tests)   7. Playwright e2e
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { root } from "./lib/stack.mjs";

const ci = !!process.env.CI;
const pgUrl = process.env.SITREP_TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const results = [];

function step(name, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  const r = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: r.status === 0, seconds });
  console.log(`=== ${name}: ${r.status === 0 ? "ok" : "FAILED"} in ${seconds} s`);
  return r.status === 0;
}

function ensureChromium() {
  if (fs.existsSync("/usr/bin/chromium")) return true;
  if (process.getuid?.() !== 0) {
    console.error("Chromium is missing: install Debian's package (sudo apt-get install -y chromium) and run again.");
    return false;
  }
  console.log("Installing Debian's chromium for the end-to-end tests…");
  return (
    spawnSync("apt-get", ["update"], { stdio: "inherit" }).status === 0 &&
    spawnSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0
  );
}

async function postgresReachable() {
  const sql = postgres(pgUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
const playwright = path.join(root, "node_modules", "@playwright", "test", "cli.js");

/** Debian's Prometheus and Alertmanager for the alert-intake tests (lib/alerts/prometheus.test.ts). */
function ensureAlertingTools() {
  const missing = ["prometheus", "prometheus-alertmanager"].filter((bin) => spawnSync("sh", ["-c", `command -v ${bin}`]).status !== 0);
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    console.warn(`Missing ${missing.join(" and ")}: install Debian's packages (sudo apt-get install -y ${missing.join(" ")}); the alert-intake test needs them.`);
    return;
  }
  spawnSync("apt-get", ["update"], { stdio: "inherit" });
  spawnSync("apt-get", ["install", "-y", ...missing], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

ensureAlertingTools();
let ok = step("type check", process.execPath, [tsc, "--noEmit", "-p", "."]);
ok = step("unit and integration tests (PGlite)", process.execPath, [vitest, "run"], { SITREP_TEST_DRIVER: "pglite" }) && ok;

if (await postgresReachable()) {
  ok = step("unit and integration tests (PostgreSQL)", process.execPath, [vitest, "run"], { SITREP_TEST_DRIVER: "postgres", SITREP_TEST_PG_URL: pgUrl }) && ok;
} else if (ci) {
  console.error(`PostgreSQL is not reachable at ${pgUrl}; CI requires it.`);
  results.push({ name: "unit and integration tests (PostgreSQL)", ok: false, seconds: "0" });
  ok = false;
} else {
  console.warn(`\n!!! PostgreSQL not reachable at ${pgUrl}: skipping the PostgreSQL pass (set SITREP_TEST_PG_URL).`);
}

const built = step("production build", process.execPath, [next, "build"], { NEXT_TELEMETRY_DISABLED: "1" });
ok = built && ok;
if (built) {
  ok = step("fresh start serves the sign-in page", process.execPath, [path.join(root, "scripts", "smoke-fresh-start.mjs")]) && ok;
  // npm start's supervisor: kill the reference environment and the agent under it (scripts/tests).
  ok = step("processes under npm start survive a killed sibling", process.execPath, [vitest, "run", "-c", "vitest.process.config.ts"], { SITREP_TEST_DRIVER: "pglite" }) && ok;
  if (ensureChromium()) {
    ok = step("end-to-end tests (Chromium, PGlite)", process.execPath, [playwright, "test"], { SITREP_E2E_PORT: "3900" }) && ok;
  } else {
    results.push({ name: "end-to-end tests", ok: false, seconds: "0" });
    ok = false;
  }
}

console.log("\n=== summary");
for (const r of results) console.log(`${r.ok ? "ok    " : "FAILED"} ${r.name} (${r.seconds} s)`);
const passed = results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
fs.rmSync(path.join(os.tmpdir(), "sitrep-e2e-current.json"), { force: true });
process.exit(ok ? 0 : 1);
