import "server-only";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { ensureTriggerRules, evaluateTriggers } from "@/lib/triggers";
import { startScraper } from "./scrape";

const globalForHook = globalThis as unknown as { __sitrepSignalsStarted?: boolean };

/** At console start: default trigger rules, then scrape every environment and evaluate triggers. */
export async function startSignals(intervalMs = env.SITREP_SCRAPE_INTERVAL_MS): Promise<void> {
  if (globalForHook.__sitrepSignalsStarted) return;
  globalForHook.__sitrepSignalsStarted = true;
  await ensureTriggerRules(await getDb());
  startScraper(getDb, {
    intervalMs,
    afterScrape: async (db, result) => {
      try {
        const changes = await evaluateTriggers(db, result.environmentId, result.at);
        for (const c of changes) log.info(`trigger.${c.change}`, { rule: c.ruleKey, environmentId: c.environmentId });
      } catch (error) {
        log.warn("triggers.evaluate_failed", { error: String(error) });
      }
    },
  });
}
