// Requests per second for /status and /status.json under concurrent load, against a real
// production server (scripts/console-server.mjs: the build in SITREP_DIST_DIR, default .next) on a fresh
// embedded database seeded with components, an open incident and a resolved one.
// Requests accept gzip, deflate and br like browsers do. Goal: at least 1,500 req/s each on this 2-core machine.
// Port: SITREP_BENCH_PORT (default 3942).
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { assignRole, declareIncident, ensureIncidentDefaults } from "@/lib/incidents";
import { createComponent, ensureStatusDefaults, saveUpdate } from "@/lib/status";
import { makeUser } from "@/lib/testing";
import { cpuSeconds, requireBuild, waitForHealth } from "./lib/production-server";

const GOAL = 1_500;
const PORT = Number(process.env.SITREP_BENCH_PORT ?? 3942);
const CONCURRENCY = 32;
const DURATION_MS = 8_000;
const root = process.cwd();
const dist = process.env.SITREP_DIST_DIR || ".next";

async function seed(dataDir: string) {
  const database = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
  try {
    const db = database.db;
    await ensureIncidentDefaults(db);
    await ensureStatusDefaults(db);
    const { actor: admin } = await makeUser(db, { role: "admin" });
    const { actor: commander } = await makeUser(db, { role: "commander" });
    const ctx = { actor: admin, db };
    const components = [];
    for (const [group, names] of [["Core", ["Public API", "Dashboard", "Authentication"]], ["Processing", ["Job runner", "Scheduler", "Webhooks out"]]] as const) {
      for (const [i, name] of names.entries()) components.push(await createComponent(ctx, { name, groupName: group, position: i }));
    }
    const past = await declareIncident({ actor: commander, db }, { title: "Bench past", severity: "SEV2", surfaces: ["api"] });
    await saveUpdate(ctx, { incidentId: past.id, title: "Slow dashboard", status: "investigating", message: "Dashboard pages load slowly.", components: [{ componentId: components[1].id, state: "degraded" }], publish: true });
    await saveUpdate(ctx, { incidentId: past.id, title: "Slow dashboard", status: "resolved", message: "Dashboard speed is back to normal.", publish: true });
    const open = await declareIncident({ actor: commander, db }, { title: "Bench open", severity: "SEV1", surfaces: ["jobs"] });
    await assignRole({ actor: commander, db }, { incidentId: open.id, version: open.version, role: "comms", userId: admin.userId });
    for (const [status, message] of [["investigating", "Jobs are delayed."], ["identified", "We found why jobs are delayed."], ["monitoring", "Jobs are catching up."]] as const) {
      await saveUpdate(ctx, { incidentId: open.id, title: "Delayed jobs", status, message, components: [{ componentId: components[3].id, state: "partial_outage" }], publish: true });
    }
  } finally {
    await database.close();
  }
}

function get(agent: http.Agent, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: "127.0.0.1", port: PORT, path: urlPath, agent, method: "GET", headers: { "accept-encoding": "gzip, deflate, br" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.end();
  });
}

/** The server's CPU use per second with no requests (health polling and other background work). */
async function idleCpuRate(pid: number | undefined): Promise<number> {
  const before = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, 3_000));
  const after = cpuSeconds(pid);
  return before === null || after === null ? 0 : (after - before) / 3;
}

let backgroundCpuPerSecond = 0;

async function load(urlPath: string, serverPid: number | undefined, withGoal = true) {
  const cpuBefore = cpuSeconds(serverPid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const status = await get(agent, urlPath);
        latencies.push(performance.now() - t);
        if (status === 200) ok++;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))].toFixed(1);
  const rps = ok / seconds;
  const cpuAfter = cpuSeconds(serverPid);
  // On a shared machine wall-clock throughput depends on the neighbours; CPU per request does not.
  const cpuPerRequest =
    cpuBefore !== null && cpuAfter !== null && ok ? (Math.max(0, cpuAfter - cpuBefore - backgroundCpuPerSecond * seconds) * 1000) / (ok + failed) : null;
  console.log(
    `${urlPath.padEnd(13)} ${rps.toFixed(0).padStart(6)} req/s  (${ok} ok, ${failed} failed in ${seconds.toFixed(1)} s, ${CONCURRENCY} concurrent; latency p50 ${pct(50)} ms, p99 ${pct(99)} ms)${withGoal ? `  goal ≥ ${GOAL} req/s: ${rps >= GOAL && failed === 0 ? "met" : "NOT met"}` : "  (for comparison, no goal)"}`,
  );
  if (cpuPerRequest !== null) {
    console.log(`${"".padEnd(13)} server CPU ${cpuPerRequest.toFixed(2)} ms per request (background ${(backgroundCpuPerSecond * 1000).toFixed(0)} ms/s subtracted) → at most ${(2000 / cpuPerRequest).toFixed(0)} req/s on 2 idle cores; load average now ${os.loadavg()[0].toFixed(1)}`);
  }
  return rps >= GOAL && failed === 0;
}

async function main() {
  requireBuild(root, dist);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-bench-status-"));
  await seed(dataDir);
  const server = spawn(process.execPath, [path.join(root, "scripts/console-server.mjs"), "-p", String(PORT), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NODE_ENV: "production", SITREP_DIST_DIR: dist, SITREP_DATA_DIR: dataDir, DATABASE_URL: "", AUTH_SECRET: "bench-secret-not-for-production-0123456789", SITREP_LOG_LEVEL: "error" },
  });
  let stderr = "";
  server.stderr?.on("data", (c) => (stderr = (stderr + c).slice(-2000)));
  try {
    await waitForHealth(`http://127.0.0.1:${PORT}`, 40_000);
    // Warm up: first render of the cached documents and JIT.
    const warm = new http.Agent({ keepAlive: true });
    for (let i = 0; i < 200; i++) await Promise.all([get(warm, "/status"), get(warm, "/status.json")]);
    warm.destroy();
    backgroundCpuPerSecond = await idleCpuRate(server.pid);
    const results = [await load("/status", server.pid), await load("/status.json", server.pid)];
    // The Atom feed is served by Next's route handler (no fast path): what every document cost before.
    console.log("through Next's route handler instead of the fast path:");
    await load("/status/feed.atom", server.pid, false);
    if (results.includes(false)) process.exitCode = 1;
  } catch (error) {
    console.error(String(error), stderr);
    process.exitCode = 1;
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
