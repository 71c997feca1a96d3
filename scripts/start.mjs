#!/usr/bin/env node
// README command 1: build when needed, then run Sitrep under a supervisor (scripts/lib/supervisor.mjs):
// the console, the reference environment and a local host agent (registered as the `reference`
// environment; skip both with --no-reference or SITREP_REFERENCE=off), each its own child process.
// One that dies is logged and started again with back-off; the others keep running.
// Usage: node scripts/start.mjs [--port 3000] [--no-reference]
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import net from "node:net";
import { buildIsStale, root, runBuild } from "./lib/stack.mjs";
import { firstJson, httpReady, jsonEvent, STATUS_FILE, Supervisor } from "./lib/supervisor.mjs";

const args = process.argv.slice(2);
const port = Number(args[args.indexOf("--port") + 1] || process.env.PORT || 3000) || 3000;

// A stable secret for session cookies, generated once per data folder unless AUTH_SECRET is set.
const dataDir = path.resolve(process.env.SITREP_DATA_DIR || path.join(root, ".data"));
fs.mkdirSync(dataDir, { recursive: true });
const secretFile = path.join(dataDir, "auth-secret");
if (!process.env.AUTH_SECRET && !fs.existsSync(secretFile)) fs.writeFileSync(secretFile, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
const statusFile = path.join(dataDir, STATUS_FILE);
const env = {
  ...process.env,
  NODE_ENV: "production",
  SITREP_DATA_DIR: dataDir,
  AUTH_SECRET: process.env.AUTH_SECRET || fs.readFileSync(secretFile, "utf8").trim(),
  // The console reports its siblings (health, Overview) from this file.
  SITREP_SUPERVISOR_STATUS: statusFile,
};

if (buildIsStale(env)) {
  console.log("Building the console (first start or changed sources)…");
  await runBuild(env);
}

const supervisor = new Supervisor({ statusFile });
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void supervisor.stop().finally(() => process.exit(0));
  });
}

// The CLI in one process (no bin/sitrep.mjs wrapper): a signal reaches the process that holds the ports.
const tsx = createRequire(import.meta.url).resolve("tsx", { paths: [root] });
const cli = (...cliArgs) => ({ command: process.execPath, args: ["--conditions=react-server", "--import", tsx, path.join(root, "cli", "main.ts"), ...cliArgs] });

if (!args.includes("--no-reference") && process.env.SITREP_REFERENCE !== "off") {
  // Port 0: a free one, chosen once here, so a restarted agent comes back where the console looks.
  const agentPort = process.env.SITREP_AGENT_PORT === "0" ? await freePort() : Number(process.env.SITREP_AGENT_PORT || 7410);
  const agentHost = process.env.SITREP_AGENT_HOST || "127.0.0.1";
  const agentUrl = `http://${agentHost}:${agentPort}`;
  // The agent's scripts reach the reference environment's ports and share its sandbox; the
  // refenv prints them (scriptEnv) each time it starts.
  let scriptEnv = {};
  const agentSecretFile = path.join(dataDir, "agent-secret");
  if (!fs.existsSync(agentSecretFile)) fs.writeFileSync(agentSecretFile, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  const refenvEnv = { ...env, SITREP_REFENV_STATE: env.SITREP_REFENV_STATE || path.join(dataDir, "refenv-state") };
  // The seeds' ports unless REFENV_BASE_PORT / REFENV_PORT_* say otherwise.
  const reference = await supervisor
    .add({
      name: "refenv",
      label: "reference environment",
      launch: () => ({ ...cli("refenv", "start", "--json", "--agent-url", agentUrl, "--agent-id", "reference-host"), env: refenvEnv }),
      ready: (child) => firstJson(child),
      onReady: (started, restarts) => {
        const changed = restarts > 0 && JSON.stringify(started.scriptEnv) !== JSON.stringify(scriptEnv);
        scriptEnv = started.scriptEnv ?? {};
        // Ephemeral ports moved: the agent's scripts must follow.
        if (changed) supervisor.restart("agent");
      },
    })
    .catch((error) => console.log(`[refenv] not started: ${error.message} (retrying in the background)`));
  await supervisor
    .add({
      name: "agent",
      label: "host agent",
      launch: () => ({
        ...cli("agent", "start"),
        env: {
          ...refenvEnv,
          ...scriptEnv,
          SITREP_AGENT_ID: "reference-host",
          SITREP_AGENT_HOST: agentHost,
          SITREP_AGENT_PORT: String(agentPort),
          SITREP_AGENT_SECRET: "",
          SITREP_AGENT_SECRET_FILE: agentSecretFile,
        },
      }),
      ready: (child) => jsonEvent(child, "agent.started"),
    })
    .catch((error) => console.log(`[agent] not started: ${error.message} (retrying in the background)`));
  if (reference) console.log(`  Reference environment: control API ${reference.urls["control-api"]}, runtime API ${reference.urls["runtime-api"]}, host agent ${agentUrl}`);
} else {
  fs.rmSync(path.join(dataDir, "reference.json"), { force: true });
}

const consoleStatus = await supervisor.add({
  name: "console",
  label: "console",
  launch: () => ({ command: process.execPath, args: [path.join(root, "scripts", "console-server.mjs"), "-p", String(port), "-H", "127.0.0.1"], env }),
  ready: (child) => httpReady(child, `http://127.0.0.1:${port}/api/health`),
}).catch((error) => console.log(`[console] not started: ${error.message} (retrying in the background)`));
if (consoleStatus !== undefined) console.log(`\n  Sitrep is running at http://localhost:${port}${consoleStatus === 200 ? "" : ` (health says ${consoleStatus}: see /api/health)`}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
}
