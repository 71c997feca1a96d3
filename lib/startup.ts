import "server-only";
import { getDatabase } from "@/db/client";
import { bootstrapAdmin } from "@/lib/auth/bootstrap";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

type StartHook = { name: string; run: () => Promise<void> };

// Background work that starts with the server (scrapers, schedulers). Areas add theirs here.
const hooks: StartHook[] = [
  { name: "incident-defaults", run: async () => void (await (await import("@/lib/incidents/defaults")).ensureIncidentDefaults((await getDatabase()).db)) },
  { name: "runners", run: async () => (await import("@/lib/drills/orphans")).startRunnerSweeper() },
  { name: "environments", run: async () => (await import("@/lib/environments/start-hook")).startEnvironments() },
  { name: "status", run: async () => (await import("@/lib/status/start-hook")).startStatus() },
  { name: "signals", run: async () => (await import("@/lib/signals/start-hook")).startSignals() },
  { name: "runbook-sync", run: async () => (await import("@/lib/runbooks/sync/repositories")).startScheduledSyncs((await getDatabase()).db) },
  { name: "runbook-reparse", run: async () => void (await (await import("@/lib/runbooks/reparse")).reparseOutdatedRevisions((await getDatabase()).db)) },
  { name: "drill-scheduler", run: async () => (await import("@/lib/drills/schedules")).startDrillScheduler(async () => (await getDatabase()).db) },
  { name: "alerts", run: async () => (await import("@/lib/alerts/start-hook")).startAlerts() },
];

/** Opens and migrates the database, creates the first admin, then starts background work. */
export async function startup(): Promise<void> {
  if (env.isBuild) return;
  try {
    const database = await getDatabase();
    log.info("database.ready", { driver: database.driver, location: database.location });
    await bootstrapAdmin(database.db, { email: env.SITREP_ADMIN_EMAIL, password: env.SITREP_ADMIN_PASSWORD });
  } catch (error) {
    // The health endpoint reports this; the process stays up so the reason is visible.
    log.error("startup.failed", { error: error instanceof Error ? error.message : String(error) });
    if ((error as Error).name === "DatabaseLockedError") {
      console.error(`\n  ${(error as Error).message}\n`);
      process.exit(1);
    }
    return;
  }
  for (const hook of hooks) {
    hook.run().catch((error) => log.error("startup.hook_failed", { hook: hook.name, error: String(error) }));
  }
}
