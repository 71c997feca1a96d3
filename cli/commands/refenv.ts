import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { refenvOptionsFromEnv } from "../../refenv/config";
import { agentOptionsFromEnv } from "../../agent/config";
import { ADMIN_TOKEN_HEADER, FAULT_NAMES, referenceRegistration, scriptEnv, startRefenv, type Refenv } from "../../refenv/index";
import { startReferenceStack } from "../../refenv/stack";
import { ADMIN_TOKEN_FILE, AGENT_SECRET_FILE, ensureSecretFile, newAdminToken, newAgentSecret, removeRegistration, writeRegistration } from "../../refenv/registration";
import { env as sitrepEnv } from "@/lib/env";
import { CliError, output } from "../context";

// `sitrep refenv` starts the reference environment in the foreground (flags win over the
// REFENV_* environment variables); `sitrep refenv fault …` flips a fault switch on a running one.

const int = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`not a non-negative integer: ${value}`);
  return n;
};

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}

export function register(program: Command) {
  const refenv = program.command("refenv").description("the reference environment: control API, runtime API, surfaces, fault switches");

  refenv
    .command("start", { isDefault: true })
    .description("run the reference environment until interrupted (REFENV_* variables configure it)")
    .option("--host <host>", "interface to listen on")
    .option("--base-port <port>", "ports are base + offset per surface; 0 = ephemeral", int)
    .option("--state-dir <dir>", "sandbox root shared with the host scripts (SITREP_REFENV_STATE)")
    .option("--lease-ttl-ms <ms>", "preview slot lease lifetime", int)
    .option("--tick-ms <ms>", "simulation step of the runtime's job load", int)
    .option("--with-agent", "also run a local host agent for the reference scripts (SITREP_AGENT_* variables configure it; a secret is generated into the data folder when none is given)")
    .option("--agent-url <url>", "register a host agent that runs in its own process (as `npm start` does) instead of --with-agent; its secret is the data folder's agent-secret")
    .option("--agent-id <id>", "that agent's id (default reference-host)")
    .option("--no-register", "do not register in the data folder (reference.json)")
    .option("--json", "print the started URLs as JSON")
    .action(
      async (opts: { host?: string; basePort?: number; stateDir?: string; leaseTtlMs?: number; tickMs?: number; withAgent?: boolean; agentUrl?: string; agentId?: string; register: boolean; json?: boolean }) => {
        const dataDir = sitrepEnv.dataDir;
        const fromEnv = refenvOptionsFromEnv();
        // A registered environment keeps its fault-switch token in the data folder, for the console.
        const adminToken = fromEnv.adminToken ?? (opts.register ? fs.readFileSync(ensureSecretFile(dataDir, ADMIN_TOKEN_FILE, newAdminToken), "utf8").trim() : undefined);
        const refenvOptions = {
          ...fromEnv,
          host: opts.host ?? fromEnv.host,
          basePort: opts.basePort ?? fromEnv.basePort,
          stateDir: opts.stateDir ?? fromEnv.stateDir,
          slotLeaseTtlMs: opts.leaseTtlMs ?? fromEnv.slotLeaseTtlMs,
          tickMs: opts.tickMs ?? fromEnv.tickMs,
          adminToken,
        };
        let stop: () => Promise<void>;
        let env: Refenv;
        let agentUrl: string | undefined;
        let agentId: string | undefined;
        let secretFile: string | undefined;
        if (opts.withAgent) {
          // No secret given: one is made once in the data folder, where the console reads it.
          const given = !!(process.env.SITREP_AGENT_SECRET?.trim() || process.env.SITREP_AGENT_SECRET_FILE?.trim());
          secretFile = given ? process.env.SITREP_AGENT_SECRET_FILE?.trim() : ensureSecretFile(dataDir, AGENT_SECRET_FILE, newAgentSecret);
          if (given && !secretFile) {
            // Only the value was given: keep it where the console can read it, never in reference.json.
            secretFile = path.join(dataDir, AGENT_SECRET_FILE);
            fs.mkdirSync(dataDir, { recursive: true });
            fs.writeFileSync(secretFile, process.env.SITREP_AGENT_SECRET!.trim(), { mode: 0o600 });
          }
          const agentEnv = agentOptionsFromEnv({ ...process.env, SITREP_AGENT_SECRET: "", SITREP_AGENT_SECRET_FILE: secretFile });
          agentId = agentEnv.agentId;
          // Agent log lines go to stderr: stdout carries only the start summary (parsed by scripts).
          const log = (entry: Record<string, unknown>) => process.stderr.write(JSON.stringify({ at: new Date().toISOString(), ...entry }) + "\n");
          const stack = await startReferenceStack({
            ...refenvOptions,
            agent: { agentId: agentEnv.agentId, secret: agentEnv.secret, host: agentEnv.host, port: agentEnv.port, log },
          });
          ({ refenv: env, stop } = { refenv: stack.refenv, stop: stack.stop });
          agentUrl = stack.agent.url;
        } else {
          env = await startRefenv(refenvOptions);
          stop = env.stop;
          if (opts.agentUrl) {
            // The agent is supervised separately (scripts/start.mjs): only its address is registered here.
            agentUrl = new URL(opts.agentUrl).toString().replace(/\/$/, "");
            agentId = opts.agentId ?? "reference-host";
            secretFile = ensureSecretFile(dataDir, AGENT_SECRET_FILE, newAgentSecret);
          }
        }
        const agent = agentUrl && agentId && secretFile ? { url: agentUrl, agentId, secretFile: path.relative(dataDir, path.resolve(secretFile)) } : undefined;
        const registration = referenceRegistration(env, { faultToken: env.adminToken, agent });
        if (opts.register) writeRegistration(dataDir, { ...registration, pid: process.pid, startedAt: new Date().toISOString() });
        const lines = env.surfaces.map((s) => `  ${s.label.padEnd(24)} ${s.url}`);
        output(
          !!opts.json,
          // `registration`: what a console registers this environment from (surfaces and their runbook ports).
          { urls: env.urls, stateDir: env.stateDir, scriptEnv: scriptEnv(env), agentUrl, adminToken: fromEnv.adminToken ? undefined : env.adminToken, registration, registered: opts.register ? path.join(dataDir, "reference.json") : null },
          [
            "Reference environment running:",
            ...lines,
            ...(agentUrl ? [`  ${"Host agent".padEnd(24)} ${agentUrl}`] : []),
            `  sandbox: ${env.stateDir}`,
            ...(opts.register ? [`  registered in ${path.join(dataDir, "reference.json")} (the console and \`sitrep drill run --env reference\` find it there)`] : []),
            fromEnv.adminToken ? "  fault switches: admin token from REFENV_ADMIN_TOKEN" : `  fault switches: ${ADMIN_TOKEN_HEADER}: ${env.adminToken}`,
            "Ctrl-C stops it.",
          ].join("\n"),
        );
        await untilSignal();
        if (opts.register) removeRegistration(dataDir);
        await stop();
      },
    );

  refenv
    .command("fault")
    .description(`switch a fault on a running reference environment (${FAULT_NAMES.join(", ")})`)
    .argument("<fault>", "fault name, or failing_health:<surface>")
    .option("--off", "switch it off instead")
    .option("--surface <surface>", "surface for failing_health")
    .option("--share <share>", "share of failing requests for 5xx_burst (0-1]", Number)
    .option("--clear", "switch every fault off (the fault argument is ignored)")
    .option("--url <url>", "control API URL", "http://127.0.0.1:8000")
    .option("--json", "machine-readable output")
    .action(async (fault: string, opts: { off?: boolean; surface?: string; share?: number; clear?: boolean; url: string; json?: boolean }) => {
      const token = refenvOptionsFromEnv().adminToken;
      if (!token) throw new CliError("REFENV_ADMIN_TOKEN must be set to the running environment's admin token");
      const body = opts.clear ? { clear: true } : { fault, on: !opts.off, surface: opts.surface, share: opts.share };
      let res: Response;
      try {
        res = await fetch(new URL("/__faults", opts.url), {
          method: "POST",
          headers: { "content-type": "application/json", [ADMIN_TOKEN_HEADER]: token },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
      } catch (error) {
        throw new CliError(`cannot reach the reference environment at ${opts.url}: ${(error as Error).message}`);
      }
      const json = (await res.json()) as { faults?: unknown; message?: string };
      if (!res.ok) throw new CliError(`fault switch refused (${res.status}): ${json.message ?? "unknown error"}`);
      output(!!opts.json, json, `Faults now: ${JSON.stringify(json.faults)}`);
    });
}
