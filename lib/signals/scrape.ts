import "server-only";
import { and, asc, desc, eq, gte, inArray, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { environments, signalSamples, signalScrapes, type Environment } from "@/db/schema";
import { runtimeApi } from "@/lib/runtime-api";
import { log } from "@/lib/log";
import { recordScrapeError } from "@/lib/metrics";

// Seed 002's key signals plus the supporting counters the triggers need (5xx, completions).
export const STORED_SIGNALS = [
  "oris_runtime_queue_depth",
  "oris_runtime_lease_conflict_rate",
  "oris_runtime_recovery_latency_ms",
  "oris_runtime_backpressure_total",
  "oris_runtime_terminal_error_rate",
  "oris_runtime_http_5xx_total",
  "oris_runtime_jobs_completed_total",
  "oris_runtime_active_leases",
] as const;

export const CHART_SIGNALS = STORED_SIGNALS.slice(0, 5);

export type ScrapeResult = { environmentId: string; ok: boolean; error: string | null; at: Date; samples: number };

/** Fetches one environment's /metrics, stores the signals we keep, records the outcome. */
export async function scrapeEnvironment(db: Db, environment: Environment, at = new Date()): Promise<ScrapeResult> {
  const started = Date.now();
  const client = runtimeApi({ baseUrl: environment.runtimeBaseUrl, operatorToken: environment.runtimeToken, timeoutMs: 5_000 });
  try {
    const { samples } = await client.metrics();
    const rows: (typeof signalSamples.$inferInsert)[] = [];
    for (const name of STORED_SIGNALS) {
      const matching = samples.filter((s) => s.name === name);
      if (name === "oris_runtime_backpressure_total") {
        // One series per reason, as seed 002 reads backpressure "by reason".
        for (const s of matching) rows.push({ environmentId: environment.id, metric: name, reason: s.labels.reason ?? "", labels: s.labels, value: s.value, scrapedAt: at });
      } else if (matching.length) {
        rows.push({ environmentId: environment.id, metric: name, reason: "", labels: {}, value: matching.reduce((sum, s) => sum + s.value, 0), scrapedAt: at });
      }
    }
    await db.transaction(async (tx) => {
      if (rows.length) await tx.insert(signalSamples).values(rows);
      await tx.insert(signalScrapes).values({ environmentId: environment.id, at, ok: true, durationMs: Date.now() - started });
    });
    return { environmentId: environment.id, ok: true, error: null, at, samples: rows.length };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    recordScrapeError(environment.name);
    await db.insert(signalScrapes).values({ environmentId: environment.id, at, ok: false, error: message, durationMs: Date.now() - started });
    return { environmentId: environment.id, ok: false, error: message, at, samples: 0 };
  }
}

export type SeriesPoint = { at: string; value: number };
export type Series = { metric: string; reason: string; points: SeriesPoint[] };

/** The signal series of an environment since `since`, oldest first, one series per metric and reason. */
export async function signalSeries(db: Db, environmentId: string, since: Date, metrics: readonly string[] = CHART_SIGNALS): Promise<Series[]> {
  const rows = await db
    .select({ metric: signalSamples.metric, reason: signalSamples.reason, value: signalSamples.value, at: signalSamples.scrapedAt })
    .from(signalSamples)
    .where(and(eq(signalSamples.environmentId, environmentId), gte(signalSamples.scrapedAt, since), inArray(signalSamples.metric, [...metrics])))
    .orderBy(asc(signalSamples.scrapedAt))
    .limit(20_000);
  const byKey = new Map<string, Series>();
  for (const r of rows) {
    const key = `${r.metric}|${r.reason}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { metric: r.metric, reason: r.reason, points: [] }));
    s.points.push({ at: r.at.toISOString(), value: r.value });
  }
  return metrics.flatMap((m) => [...byKey.values()].filter((s) => s.metric === m));
}

/** The latest `n` scrapes' values of one metric (newest first), summed over labels. */
export async function latestValues(db: Db, environmentId: string, metric: string, n: number): Promise<{ at: Date; value: number }[]> {
  const rows = await db
    .select({ at: signalSamples.scrapedAt, value: signalSamples.value })
    .from(signalSamples)
    .where(and(eq(signalSamples.environmentId, environmentId), eq(signalSamples.metric, metric)))
    .orderBy(desc(signalSamples.scrapedAt))
    .limit(n * 4);
  const out: { at: Date; value: number }[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last.at.getTime() === r.at.getTime()) last.value += r.value;
    else if (out.length < n) out.push({ at: r.at, value: r.value });
    else break;
  }
  return out;
}

type Scraper = { stop: () => void };

export const SIGNAL_RETENTION_MS = 7 * 24 * 3_600_000;

/** Drops samples and scrape records older than `before`. */
export async function pruneSignals(db: Db, before: Date): Promise<void> {
  await db.delete(signalSamples).where(lt(signalSamples.scrapedAt, before));
  await db.delete(signalScrapes).where(lt(signalScrapes.at, before));
}

/**
 * Scrapes every environment each `intervalMs` (default 15 s), then runs `afterScrape` (the
 * trigger evaluation) for that environment. One round at a time; a slow round skips the next tick.
 */
export function startScraper(getDb: () => Promise<Db>, options: { intervalMs?: number; afterScrape?: (db: Db, result: ScrapeResult) => Promise<void> } = {}): Scraper {
  const intervalMs = options.intervalMs ?? 15_000;
  let busy = false;
  let stopped = false;
  let rounds = 0;
  const round = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const db = await getDb();
      const envs = await db.select().from(environments);
      // Keep a week of samples; pruned about once an hour at the default interval.
      if (rounds++ % 240 === 0) await pruneSignals(db, new Date(Date.now() - SIGNAL_RETENTION_MS));
      await Promise.all(
        envs.map(async (environment) => {
          const result = await scrapeEnvironment(db, environment);
          if (options.afterScrape && !stopped) await options.afterScrape(db, result);
        }),
      );
    } catch (error) {
      if (!stopped) log.warn("signals.scrape_round_failed", { error: String(error) });
    } finally {
      busy = false;
    }
  };
  void round();
  const timer = setInterval(round, intervalMs);
  timer.unref?.();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
