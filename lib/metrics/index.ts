import "server-only";
import { timingSafeEqual } from "node:crypto";
import { Counter, Gauge, Registry } from "prom-client";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { drills, runbooks, stepExecutions } from "@/db/schema";
import { env } from "@/lib/env";
import { displayStatus } from "@/lib/runbooks/status";

// The console's Prometheus metrics (prom-client), served at /metrics: runbook freshness for the
// team's own alerting (last validation, stale, last drill result) and the console's health. Other
// areas count into the small instruments exported here (SSE streams opened and closed, scrape
// errors). One registry per process, kept on globalThis: Next loads route modules separately.

export const DRILL_RESULTS = ["passed", "passed_with_skips", "failed"] as const;

type Instruments = {
  registry: Registry;
  sseStreams: Gauge<"stream">;
  scrapeErrors: Counter<"environment">;
};

function create(): Instruments {
  const registry = new Registry();
  const sseStreams = new Gauge({ name: "sitrep_sse_streams_open", help: "Server-sent event streams open in this console process, by stream", labelNames: ["stream"], registers: [registry] });
  const scrapeErrors = new Counter({ name: "sitrep_scrape_errors_total", help: "Failed scrapes of an environment's runtime metrics by this process", labelNames: ["environment"], registers: [registry] });

  new Gauge({
    name: "sitrep_runbook_last_validated_timestamp_seconds",
    help: "When the runbook was last validated (a signed-off drill), Unix seconds; absent when never",
    labelNames: ["runbook"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await runbookRows()) if (r.lastValidatedAt) this.set({ runbook: r.slug }, Math.floor(r.lastValidatedAt.getTime() / 1000));
    },
  });
  new Gauge({
    name: "sitrep_runbook_stale",
    help: "1 when the runbook's validation is stale (its revision changed since, or it is older than 90 days), else 0; drafts never validated are 0 and have no last_validated series",
    labelNames: ["runbook"],
    registers: [registry],
    async collect() {
      this.reset();
      const now = new Date();
      for (const r of await runbookRows()) if (r.status !== "pending") this.set({ runbook: r.slug }, displayStatus(r, now) === "stale" ? 1 : 0);
    },
  });
  new Gauge({
    name: "sitrep_drill_last_result",
    help: "Result of the runbook's last finished drill: 1 for the result it had, 0 for the others (passed, passed_with_skips, failed)",
    labelNames: ["runbook", "result"],
    registers: [registry],
    async collect() {
      this.reset();
      const db = collectingFrom();
      const rows = await db
        .selectDistinctOn([drills.runbookSlug], { runbook: drills.runbookSlug, result: drills.result })
        .from(drills)
        .where(sql`${drills.finishedAt} is not null`)
        .orderBy(drills.runbookSlug, sql`${drills.finishedAt} desc`);
      for (const row of rows) for (const result of DRILL_RESULTS) this.set({ runbook: row.runbook, result }, row.result === result ? 1 : 0);
    },
  });
  new Gauge({
    name: "sitrep_executions_in_flight",
    help: "Step executions running now, across every console instance sharing the database",
    registers: [registry],
    async collect() {
      const db = collectingFrom();
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(stepExecutions).where(sql`${stepExecutions.state} = 'running'`);
      this.set(row.n);
    },
  });
  new Gauge({
    name: "sitrep_drills_running",
    help: "Drills running or paused now, across every console instance",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      this.reset();
      const db = collectingFrom();
      const rows = await db.select({ state: drills.state, n: sql<number>`count(*)::int` }).from(drills).where(sql`${drills.state} in ('running', 'paused')`).groupBy(drills.state);
      for (const state of ["running", "paused"]) this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
    },
  });
  return { registry, sseStreams, scrapeErrors };
}

async function runbookRows() {
  const db = collectingFrom();
  return db.select({ slug: runbooks.slug, status: runbooks.status, currentRevisionId: runbooks.currentRevisionId, lastValidatedAt: runbooks.lastValidatedAt, lastValidatedRevisionId: runbooks.lastValidatedRevisionId }).from(runbooks);
}

const globalForMetrics = globalThis as unknown as { __sitrepMetrics?: Instruments; __sitrepMetricsDb?: Db };

/** The database the collectors read during a render (the console's own; a test's in tests). */
function collectingFrom(): Db {
  const db = globalForMetrics.__sitrepMetricsDb;
  if (!db) throw new Error("metrics are collected through renderMetrics(db)");
  return db;
}
function instruments(): Instruments {
  return (globalForMetrics.__sitrepMetrics ??= create());
}

/** The Prometheus text exposition of every metric (collects from the database now). */
export async function renderMetrics(db: Db): Promise<{ contentType: string; body: string }> {
  const { registry } = instruments();
  globalForMetrics.__sitrepMetricsDb = db;
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** An SSE stream opened; call the returned function once when it closes. */
export function sseStreamOpened(stream: string): () => void {
  const gauge = instruments().sseStreams;
  gauge.inc({ stream });
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    gauge.dec({ stream });
  };
}

/** A scrape of an environment's runtime metrics failed. */
export function recordScrapeError(environment: string): void {
  instruments().scrapeErrors.inc({ environment });
}

/** Whether a scrape with this Authorization header may read the metrics (SITREP_METRICS_TOKEN, compared in constant time). */
export function metricsAccess(authorization: string | null, token: string | undefined = env.SITREP_METRICS_TOKEN): "ok" | "disabled" | "unauthorized" {
  if (!token) return "disabled";
  const given = Buffer.from(authorization?.startsWith("Bearer ") ? authorization.slice(7).trim() : "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected) ? "ok" : "unauthorized";
}
