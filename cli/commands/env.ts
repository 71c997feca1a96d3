import fs from "node:fs";
import type { Command } from "commander";
import { systemActor } from "@/lib/actor";
import {
  addAgent,
  addSurface,
  createEnvironment,
  findEnvironmentByName,
  getEnvironmentDetail,
  listEnvironments,
  removeEnvironment,
  updateEnvironment,
} from "@/lib/environments";
import { CliError, output, withDatabase } from "../context";

// `sitrep env …`: manage environments from a terminal, acting as the system (an admin).

type Opts = Record<string, string | boolean | undefined> & { json?: boolean };

async function requireByName(db: Parameters<typeof findEnvironmentByName>[0], name: string) {
  const env = await findEnvironmentByName(db, name);
  if (!env) throw new CliError(`no environment named "${name}" (see sitrep env list)`);
  return env;
}

export function register(program: Command) {
  const env = program.command("env").description("manage environments (control/runtime API URLs, surfaces, host agents)");

  env
    .command("list")
    .description("list environments")
    .option("--json", "machine-readable output")
    .action(async (opts: Opts) => {
      const rows = await withDatabase(({ db }) => listEnvironments({ actor: systemActor(), db }));
      output(
        !!opts.json,
        rows,
        rows.map((e) => `${e.name.padEnd(16)} ${e.kind.padEnd(10)} ${e.production ? "PRODUCTION " : ""}control ${e.controlBaseUrl}  runtime ${e.runtimeBaseUrl}`).join("\n") || "No environments.",
      );
    });

  env
    .command("show")
    .description("show one environment with its surfaces and agents")
    .argument("<name>")
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: Opts) => {
      const detail = await withDatabase(({ db }) => getEnvironmentDetail({ actor: systemActor(), db }, name));
      const e = detail.environment;
      output(!!opts.json, detail, [
        `${e.name} (${e.kind}${e.production ? ", production" : ""})`,
        `  control API  ${e.controlBaseUrl}`,
        `  runtime API  ${e.runtimeBaseUrl}`,
        ...detail.surfaces.map((s) => `  surface  ${s.name.padEnd(26)} ${s.state.padEnd(8)} ${s.healthUrl}`),
        ...detail.agents.map((a) => `  agent    ${a.name.padEnd(26)} ${a.url}`),
      ].join("\n"));
    });

  env
    .command("add")
    .description("add an environment")
    .argument("<name>")
    .requiredOption("--control-url <url>", "control API base URL")
    .requiredOption("--runtime-url <url>", "runtime API base URL")
    .option("--kind <kind>", "reference | drill | staging | production", "staging")
    .option("--production", "mark it as production (every action asks for confirmation)")
    .option("--description <text>", "what it is")
    .option("--runtime-token <token>", "runtime operator token (bearer) for audit logs and the DLQ")
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: Opts) => {
      const created = await withDatabase(({ db }) =>
        createEnvironment({ actor: systemActor(), db }, {
          name,
          kind: opts.kind,
          controlBaseUrl: opts.controlUrl,
          runtimeBaseUrl: opts.runtimeUrl,
          production: opts.production === true ? true : undefined,
          description: opts.description ?? "",
          runtimeToken: opts.runtimeToken,
        }),
      );
      output(!!opts.json, created, `Added ${created.name} (${created.kind}${created.production ? ", production" : ""}).`);
    });

  env
    .command("set")
    .description("change an environment")
    .argument("<name>")
    .option("--control-url <url>", "control API base URL")
    .option("--runtime-url <url>", "runtime API base URL")
    .option("--kind <kind>", "reference | drill | staging | production")
    .option("--description <text>", "what it is")
    .option("--production", "mark as production")
    .option("--no-production", "clear the production mark")
    .option("--rename <name>", "new name")
    .option("--confirm-production", "required to change a production environment")
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: Opts) => {
      const updated = await withDatabase(async ({ db }) => {
        const current = await requireByName(db, name);
        return updateEnvironment({ actor: systemActor(), db }, {
          id: current.id,
          version: current.version,
          name: opts.rename,
          kind: opts.kind,
          description: opts.description,
          controlBaseUrl: opts.controlUrl,
          runtimeBaseUrl: opts.runtimeUrl,
          production: typeof opts.production === "boolean" ? opts.production : undefined,
          confirmProduction: opts.confirmProduction === true,
        });
      });
      output(!!opts.json, updated, `Updated ${updated.name}.`);
    });

  env
    .command("remove")
    .description("remove an environment with its surfaces and agents (executions stay in history)")
    .argument("<name>")
    .option("--confirm-production", "required to remove a production environment")
    .option("--json", "machine-readable output")
    .action(async (name: string, opts: Opts) => {
      const removed = await withDatabase(async ({ db }) => {
        const current = await requireByName(db, name);
        return removeEnvironment({ actor: systemActor(), db }, { id: current.id, confirmProduction: opts.confirmProduction === true });
      });
      output(!!opts.json, removed, `Removed ${name}.`);
    });

  env
    .command("add-surface")
    .description("add a surface to an environment's health board")
    .argument("<env>")
    .requiredOption("--name <name>", "surface name, e.g. 'API (control)'")
    .requiredOption("--health-url <url>", "health check URL")
    .option("--unit <unit>", "systemd unit")
    .option("--command <command>", "command that starts it")
    .option("--port <port>", "port")
    .option("--host-header <host>", "Host header the check sends")
    .option("--runbook-port <ports>", "ports runbooks call this surface on, comma-separated (e.g. 3101)")
    .option("--group <group>", "group on the board", "services")
    .option("--confirm-production", "required on a production environment")
    .option("--json", "machine-readable output")
    .action(async (envName: string, opts: Opts) => {
      const surface = await withDatabase(async ({ db }) => {
        const current = await requireByName(db, envName);
        return addSurface({ actor: systemActor(), db }, {
          environmentId: current.id,
          name: opts.name,
          healthUrl: opts.healthUrl,
          unit: opts.unit,
          command: opts.command,
          port: opts.port,
          hostHeader: opts.hostHeader,
          runbookPorts: opts.runbookPort,
          group: opts.group,
          confirmProduction: opts.confirmProduction === true,
        });
      });
      output(!!opts.json, surface, `Added surface ${surface.name} to ${envName}.`);
    });

  env
    .command("add-agent")
    .description("register a host agent of an environment")
    .argument("<env>")
    .requiredOption("--name <name>", "agent name")
    .requiredOption("--url <url>", "agent URL, e.g. http://10.0.0.5:7410")
    .requiredOption("--agent-id <id>", "the agent's SITREP_AGENT_ID")
    .requiredOption("--secret-file <file>", "file holding the shared secret (kept out of shell history)")
    .option("--confirm-production", "required on a production environment")
    .option("--json", "machine-readable output")
    .action(async (envName: string, opts: Opts) => {
      let secret: string;
      try {
        secret = fs.readFileSync(String(opts.secretFile), "utf8").trim();
      } catch (error) {
        throw new CliError(`cannot read the secret file: ${(error as Error).message}`);
      }
      const agent = await withDatabase(async ({ db }) => {
        const current = await requireByName(db, envName);
        return addAgent({ actor: systemActor(), db }, { environmentId: current.id, name: opts.name, url: opts.url, agentKey: opts.agentId, secret, confirmProduction: opts.confirmProduction === true });
      });
      output(!!opts.json, agent, `Added agent ${agent.name} (${agent.url}) to ${envName}.`);
    });
}
