import "server-only";
import { getDb } from "@/db/client";
import { agents } from "@/db/schema";
import { checkAgent } from "@/lib/agents";
import { log } from "@/lib/log";
import { startHealthPoller } from "./health";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import { REFERENCE_FILE, registerReferenceFromDataDir } from "./reference";

const AGENT_CHECK_INTERVAL_MS = 30_000;
const globalForHook = globalThis as unknown as { __sitrepEnvironmentsStarted?: boolean };

/**
 * At console start: the reference environment is registered when the start script described
 * one, and the surface health poller and the agent checks begin. (Executions an earlier process
 * left running are settled by the runner sweeper, lib/drills/orphans.ts.)
 */
export async function startEnvironments(): Promise<void> {
  if (globalForHook.__sitrepEnvironmentsStarted) return;
  globalForHook.__sitrepEnvironmentsStarted = true;
  const db = await getDb();
  try {
    await registerReferenceFromDataDir(db);
  } catch (error) {
    log.error("environments.reference_failed", { error: error instanceof Error ? error.message : String(error) });
  }
  watchReferenceFile(db);
  startHealthPoller(getDb);
  const checkAgents = async () => {
    try {
      for (const agent of await db.select().from(agents)) await checkAgent(db, agent);
    } catch (error) {
      log.warn("environments.agent_check_failed", { error: String(error) });
    }
  };
  void checkAgents();
  setInterval(checkAgents, AGENT_CHECK_INTERVAL_MS).unref();
}

/**
 * The reference environment is a separate process under `npm start`'s supervisor; when it is
 * started again on other ports (ephemeral ones) it rewrites its registration, and the console
 * follows. A stat every few seconds: cheap, and works where inotify does not.
 */
function watchReferenceFile(db: Db) {
  const file = path.join(env.dataDir, REFERENCE_FILE);
  fs.watchFile(file, { interval: 2_000, persistent: false }, (current, previous) => {
    if (!current.mtimeMs || current.mtimeMs === previous.mtimeMs) return;
    registerReferenceFromDataDir(db).catch((error) => log.warn("environments.reference_refresh_failed", { error: error instanceof Error ? error.message : String(error) }));
  });
}
