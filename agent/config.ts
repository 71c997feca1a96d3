import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { AgentOptions } from "./index";

// The one place in agent/ that reads process.env (the standalone entry point uses it).
export const DEFAULT_AGENT_PORT = 7410;
export const DEFAULT_ALLOWLIST = path.resolve(import.meta.dirname, "../refenv/host/agent-allowlist.json");

const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

export function agentOptionsFromEnv(source: NodeJS.ProcessEnv = process.env): AgentOptions {
  const env = z
    .object({
      SITREP_AGENT_ID: text,
      SITREP_AGENT_SECRET: text,
      SITREP_AGENT_SECRET_FILE: text,
      SITREP_AGENT_HOST: text,
      SITREP_AGENT_PORT: text.transform((v) => (v === undefined ? undefined : z.coerce.number().int().min(0).max(65535).parse(v))),
      SITREP_AGENT_ALLOWLIST: text,
      SITREP_AGENT_WINDOW_MS: text.transform((v) => (v === undefined ? undefined : z.coerce.number().int().min(1000).max(600_000).parse(v))),
    })
    .parse(source);
  const secret = env.SITREP_AGENT_SECRET ?? (env.SITREP_AGENT_SECRET_FILE ? fs.readFileSync(env.SITREP_AGENT_SECRET_FILE, "utf8").trim() : undefined);
  if (!secret) throw new Error("SITREP_AGENT_SECRET (or SITREP_AGENT_SECRET_FILE) is required: the secret this agent shares with the console");
  return {
    agentId: env.SITREP_AGENT_ID ?? "reference-host",
    secret,
    host: env.SITREP_AGENT_HOST ?? "127.0.0.1",
    port: env.SITREP_AGENT_PORT ?? DEFAULT_AGENT_PORT,
    allowlistFile: env.SITREP_AGENT_ALLOWLIST ?? DEFAULT_ALLOWLIST,
    windowMs: env.SITREP_AGENT_WINDOW_MS,
    // Only the names the allowlist lists under inheritEnv are ever copied to children.
    env: { ...source },
  };
}
