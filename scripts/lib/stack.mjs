// Starts the pieces of a running Sitrep as child processes: the console (console-server.mjs) and, as the
// environment work adds them, the reference environment and a local host agent. Used by the
// README's start command and by the e2e web server.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { firstJson } from "./supervisor.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

const children = [];

export function spawnChild(name, command, args, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], ...options });
  const prefix = options.quiet ? null : `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk) => {
      if (!prefix) return;
      for (const line of String(chunk).split("\n")) if (line.trim()) process.stdout.write(prefix + line + "\n");
    });
  }
  child.on("exit", (code, signal) => {
    if (!stopping) {
      process.stdout.write(`[${name}] exited (${signal ?? code}); stopping everything.\n`);
      stopAll(typeof code === "number" && code !== 0 ? code : 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
export function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(0));

export function distDir(env = process.env) {
  return path.join(root, env.SITREP_DIST_DIR || ".next");
}

export function hasBuild(env = process.env) {
  return fs.existsSync(path.join(distDir(env), "BUILD_ID"));
}

/** Source files newer than the last build mean the build is stale. */
export function buildIsStale(env = process.env) {
  if (!hasBuild(env)) return true;
  const built = fs.statSync(path.join(distDir(env), "BUILD_ID")).mtimeMs;
  const dirs = ["app", "lib", "db", "public"].map((d) => path.join(root, d));
  const files = ["next.config.mjs", "auth.ts", "auth.config.ts", "proxy.ts", "instrumentation.ts", "package.json"].map((f) => path.join(root, f));
  const newer = (p) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return false;
    if (stat.isFile()) return stat.mtimeMs > built;
    return fs.readdirSync(p).some((entry) => newer(path.join(p, entry)));
  };
  return files.some(newer) || dirs.some(newer);
}

export function runBuild(env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (${code})`))));
  });
}

export function startConsole({ port, env }) {
  return spawnChild("console", process.execPath, [path.join(root, "scripts", "console-server.mjs"), "-p", String(port), "-H", "127.0.0.1"], { env });
}

export async function waitForHealth(url, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}

/**
 * Starts the reference environment with a local host agent (`sitrep refenv --with-agent`) as one
 * child process and describes it in the data folder (reference.json + the agent secret, made once),
 * so the console registers the `reference` environment when it starts. Resolves with the URLs.
 */
export async function startReference({ dataDir, env, basePort, agentPort, quiet = false }) {
  const secretFile = path.join(dataDir, "agent-secret");
  if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  const tokenFile = path.join(dataDir, "refenv-admin-token");
  if (!fs.existsSync(tokenFile)) fs.writeFileSync(tokenFile, crypto.randomBytes(24).toString("hex"), { mode: 0o600 });
  const adminToken = fs.readFileSync(tokenFile, "utf8").trim();
  const agentId = "reference-host";
  const childEnv = {
    ...env,
    SITREP_DATA_DIR: dataDir,
    REFENV_ADMIN_TOKEN: adminToken,
    SITREP_REFENV_STATE: env.SITREP_REFENV_STATE || path.join(dataDir, "refenv-state"),
    SITREP_AGENT_ID: agentId,
    SITREP_AGENT_SECRET_FILE: secretFile,
    ...(basePort !== undefined ? { REFENV_BASE_PORT: String(basePort) } : {}),
    ...(agentPort !== undefined ? { SITREP_AGENT_PORT: String(agentPort) } : {}),
  };
  const child = spawnChild("refenv", process.execPath, [path.join(root, "bin", "sitrep.mjs"), "refenv", "--with-agent", "--json"], { env: childEnv, quiet });
  const started = await firstJson(child).catch((error) => {
    throw new Error(`the reference environment did not start: ${error.message}`);
  });
  // The child registered itself in the data folder (reference.json: its registration document,
  // surfaces with their runbook ports, fault token and agent) before printing its URLs.
  return { urls: started.urls, agentUrl: started.agentUrl };
}
