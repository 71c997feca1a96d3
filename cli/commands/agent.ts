import type { Command } from "commander";
import { createAgentClient } from "../../agent/client";
import { agentOptionsFromEnv } from "../../agent/config";
import { startAgent } from "../../agent/index";
import { CliError, output } from "../context";

// `sitrep agent` runs a host agent in the foreground. The secret only comes from the
// environment (SITREP_AGENT_SECRET or SITREP_AGENT_SECRET_FILE), never from argv.

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`not a port: ${value}`);
  return n;
};

export function register(program: Command) {
  const agent = program.command("agent").description("the host agent that runs allowlisted commands for the console");

  agent
    .command("start", { isDefault: true })
    .description("run a host agent until interrupted (SITREP_AGENT_* variables configure it)")
    .option("--id <id>", "agent id (default SITREP_AGENT_ID or reference-host)")
    .option("--host <host>", "interface to listen on")
    .option("--port <port>", "port; 0 = ephemeral", port)
    .option("--allowlist <file>", "allowlist JSON file (default: the reference host's)")
    .action(async (opts: { id?: string; host?: string; port?: number; allowlist?: string }) => {
      const fromEnv = agentOptionsFromEnv();
      const log = (entry: Record<string, unknown>) => process.stdout.write(JSON.stringify({ at: new Date().toISOString(), ...entry }) + "\n");
      const running = await startAgent({
        ...fromEnv,
        agentId: opts.id ?? fromEnv.agentId,
        host: opts.host ?? fromEnv.host,
        port: opts.port ?? fromEnv.port,
        allowlistFile: opts.allowlist ?? fromEnv.allowlistFile,
        log,
      });
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await running.stop();
    });

  agent
    .command("health")
    .description("ask a running agent for its health (unsigned)")
    .option("--url <url>", "agent URL", "http://127.0.0.1:7410")
    .option("--json", "machine-readable output")
    .action(async (opts: { url: string; json?: boolean }) => {
      const client = createAgentClient({ url: opts.url, agentId: "health-check", secret: "unused-for-health" });
      const health = await client.health().catch((error: Error) => {
        throw new CliError(error.message);
      });
      output(!!opts.json, health, `Agent ${health.agentId} ok: ${health.programs.length} programs allowed, ${health.running} running, cwd ${health.workingDirectory}`);
    });
}
