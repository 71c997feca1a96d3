import path from "node:path";
import { startAgent, type RunningAgent } from "../agent/index";
import { scriptEnv, startRefenv, type Refenv, type RefenvOptions } from "./index";

// The reference environment plus a local host agent whose allowlist covers the reference
// host scripts — what the console's start command and the e2e setup need in one call.

export const REFERENCE_ALLOWLIST_FILE = path.resolve(import.meta.dirname, "host/agent-allowlist.json");
export const REFERENCE_HOST_DIR = path.resolve(import.meta.dirname, "host");

export type ReferenceStackOptions = RefenvOptions & {
  agent: { agentId?: string; secret: string; host?: string; port?: number; log?: (entry: Record<string, unknown>) => void };
};

export type ReferenceStack = { refenv: Refenv; agent: RunningAgent; stop(): Promise<void> };

export async function startReferenceStack(options: ReferenceStackOptions): Promise<ReferenceStack> {
  const { agent: agentOptions, ...refenvOptions } = options;
  const refenv = await startRefenv(refenvOptions);
  let agent: RunningAgent;
  try {
    agent = await startAgent({
      agentId: agentOptions.agentId ?? "reference-host",
      secret: agentOptions.secret,
      host: agentOptions.host,
      port: agentOptions.port ?? 0,
      allowlistFile: REFERENCE_ALLOWLIST_FILE,
      // The scripts reach this instance's ports and share its sandbox.
      env: scriptEnv(refenv),
      log: agentOptions.log,
    });
  } catch (error) {
    await refenv.stop();
    throw error;
  }
  return {
    refenv,
    agent,
    async stop() {
      await agent.stop();
      await refenv.stop();
    },
  };
}
