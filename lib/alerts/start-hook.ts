import "server-only";
import { getDb } from "@/db/client";
import { log } from "@/lib/log";
import { autoDeclareTick } from "./auto-declare";
import { ensureSitrepSource } from "./sources";

const globalForHook = globalThis as unknown as { __sitrepAlertsStarted?: boolean };

export type AlertEngine = { tick: (now?: Date) => Promise<void>; stop: () => void };

/**
 * The alert engine of one console instance: auto-declare judged every `intervalMs`. Every
 * instance runs one; the advisory lock in autoDeclareTick keeps them from declaring twice.
 */
export function startAlertEngine(options: { getDb: () => Promise<Awaited<ReturnType<typeof getDb>>>; intervalMs?: number; clock?: () => Date }): AlertEngine {
  const clock = options.clock ?? (() => new Date());
  let busy = false;
  const tick = async (now = clock()) => {
    if (busy) return;
    busy = true;
    try {
      const declared = await autoDeclareTick(await options.getDb(), now);
      for (const incident of declared) log.info("alerts.auto_declared", { incidentId: incident.id, ref: incident.ref });
    } catch (error) {
      log.warn("alerts.tick_failed", { error: String(error) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 5_000);
  timer.unref?.();
  return { tick, stop: () => clearInterval(timer) };
}

/** At console start: the built-in source for Sitrep's own trigger rules, then the engine. */
export async function startAlerts(): Promise<void> {
  if (globalForHook.__sitrepAlertsStarted) return;
  globalForHook.__sitrepAlertsStarted = true;
  await ensureSitrepSource(await getDb());
  startAlertEngine({ getDb });
}
