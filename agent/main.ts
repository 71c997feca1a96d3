import { agentOptionsFromEnv } from "./config";
import { startAgent } from "./index";

// Standalone entry: `npx tsx agent/main.ts`. Logs JSON lines to stdout; the first one is
// {"event":"agent.started","url":…} once the agent listens. Stops on SIGINT/SIGTERM,
// cancelling running executions first.
const log = (entry: Record<string, unknown>) => process.stdout.write(JSON.stringify({ at: new Date().toISOString(), ...entry }) + "\n");
let agent: Awaited<ReturnType<typeof startAgent>>;
try {
  agent = await startAgent({ ...agentOptionsFromEnv(), log });
} catch (error) {
  process.stderr.write(`sitrep agent: ${(error as Error).message}\n`);
  process.exit(1);
}
const shutdown = async () => {
  await agent.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
