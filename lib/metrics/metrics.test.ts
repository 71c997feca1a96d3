import parsePrometheus from "parse-prometheus-text-format";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drills, runbooks } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { importRunbooks } from "@/lib/runbooks";
import { createTestDb, type TestDatabase } from "@/lib/testing";
import { metricsAccess, recordScrapeError, renderMetrics, sseStreamOpened } from "./index";

// /metrics as Prometheus reads it: rendered by prom-client from a real database, parsed back with
// a Prometheus text-format parser, and the route's token check.

let t: TestDatabase;
type Family = { name: string; type: string; metrics: Array<{ value: string; labels?: Record<string, string> }> };

beforeAll(async () => {
  t = await createTestDb();
  const md = (title: string) => new TextEncoder().encode(`# ${title}\n\n## Check\n\n\`\`\`bash\n./scripts/runtime-health-check.sh\n\`\`\`\n`);
  await importRunbooks({ actor: systemActor(), db: t.db }, [
    { name: "fresh-runbook.md", bytes: md("Fresh runbook") },
    { name: "old-runbook.md", bytes: md("Old runbook") },
    { name: "draft-runbook.md", bytes: md("Draft runbook") },
  ]);
  const rows = await t.db.select().from(runbooks);
  const bySlug = (slug: string) => rows.find((r) => r.slug === slug)!;
  const validated = (slug: string, at: Date) =>
    t.db.update(runbooks).set({ status: "validated", lastValidatedAt: at, lastValidatedRevisionId: bySlug(slug).currentRevisionId }).where(eq(runbooks.slug, slug));
  await validated("fresh-runbook", new Date(Date.now() - 5 * 86_400_000));
  await validated("old-runbook", new Date("2020-01-01T00:00:00Z"));
  const drill = (slug: string, result: string, finishedAt: Date) => ({
    runbookId: bySlug(slug).id, runbookSlug: slug, runbookTitle: slug, revisionId: bySlug(slug).currentRevisionId!, revisionNumber: 1, environmentId: crypto.randomUUID(), environmentName: "ref",
    plan: {}, startedBy: "system", startedByName: "Sitrep", state: "completed" as const, result, finishedAt,
  });
  await t.db.insert(drills).values([drill("fresh-runbook", "failed", new Date(Date.now() - 86_400_000)), drill("fresh-runbook", "passed_with_skips", new Date()), drill("old-runbook", "passed", new Date("2020-01-01T00:00:00Z"))]);
});
afterAll(async () => {
  await t?.cleanup();
});

async function families(): Promise<Map<string, Family>> {
  const { body, contentType } = await renderMetrics(t.db);
  expect(contentType).toContain("text/plain");
  return new Map((parsePrometheus(body) as Family[]).map((f) => [f.name, f]));
}
const series = (f: Family | undefined, labels: Record<string, string>) => f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;

describe("/metrics", () => {
  it("carries per-runbook validation time, staleness and the last drill's result", async () => {
    const f = await families();
    expect(f.get("sitrep_runbook_last_validated_timestamp_seconds")?.type).toBe("GAUGE");
    expect(series(f.get("sitrep_runbook_last_validated_timestamp_seconds"), { runbook: "old-runbook" })).toBe(String(Date.parse("2020-01-01T00:00:00Z") / 1000));
    expect(series(f.get("sitrep_runbook_last_validated_timestamp_seconds"), { runbook: "draft-runbook" })).toBeUndefined();
    expect(series(f.get("sitrep_runbook_stale"), { runbook: "old-runbook" })).toBe("1");
    expect(series(f.get("sitrep_runbook_stale"), { runbook: "fresh-runbook" })).toBe("0");
    expect(series(f.get("sitrep_runbook_stale"), { runbook: "draft-runbook" })).toBe("0");
    // The last finished drill counts, not an earlier one.
    expect(series(f.get("sitrep_drill_last_result"), { runbook: "fresh-runbook", result: "passed_with_skips" })).toBe("1");
    expect(series(f.get("sitrep_drill_last_result"), { runbook: "fresh-runbook", result: "failed" })).toBe("0");
    expect(series(f.get("sitrep_drill_last_result"), { runbook: "old-runbook", result: "passed" })).toBe("1");
  });

  it("carries the console's health: open SSE streams, executions in flight, scrape errors", async () => {
    const close = sseStreamOpened("drills");
    sseStreamOpened("incidents");
    recordScrapeError("reference");
    recordScrapeError("reference");
    let f = await families();
    expect(series(f.get("sitrep_sse_streams_open"), { stream: "drills" })).toBe("1");
    expect(series(f.get("sitrep_scrape_errors_total"), { environment: "reference" })).toBe("2");
    expect(f.get("sitrep_scrape_errors_total")?.type).toBe("COUNTER");
    expect(f.get("sitrep_executions_in_flight")?.metrics[0].value).toBe("0");
    close();
    close();
    f = await families();
    expect(series(f.get("sitrep_sse_streams_open"), { stream: "drills" })).toBe("0");
  });

  it("answers only with the bearer token, and not at all without one configured", () => {
    const token = "metrics-token-0123456789";
    expect(metricsAccess(null, token)).toBe("unauthorized");
    expect(metricsAccess("Bearer wrong-token-0123456789", token)).toBe("unauthorized");
    expect(metricsAccess(`Basic ${token}`, token)).toBe("unauthorized");
    expect(metricsAccess(`Bearer ${token}`, token)).toBe("ok");
    expect(metricsAccess(`Bearer ${token}`, undefined)).toBe("disabled");
  });
});
