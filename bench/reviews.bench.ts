// The review page's read path on a fresh embedded database (SITREP_TEST_DRIVER=postgres for
// PostgreSQL): an incident with 500 timeline events (notes), 50 step executions in its window
// and 50 review annotations. Numbers: getReviewDetail (merged timeline from every source, key
// moments, durations) p50/p95 over 10 reads; markdown and CSV export of that detail; one
// annotation write (the write re-reads the timeline to check the item).
import { eq } from "drizzle-orm";
import { incidents, reviewAnnotations, reviews, stepExecutions, timelineEvents } from "@/db/schema";
import { declareIncident, ensureIncidentDefaults } from "@/lib/incidents";
import { annotateItem, getReviewDetail, reviewMarkdown, timelineCsv } from "@/lib/reviews";
import { createTestDb, makeUser } from "@/lib/testing";

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const database = await createTestDb();
try {
  const db = database.db;
  await ensureIncidentDefaults(db);
  const { actor } = await makeUser(db, { role: "commander" });
  const ctx = { actor, db };
  const start = Date.now() - 6 * 3600_000;
  const incident = await declareIncident(ctx, { title: "Bench outage", severity: "SEV1", surfaces: ["bench"], detectedAt: new Date(start) });
  const events = Array.from({ length: 500 }, (_, i) => ({
    incidentId: incident.id,
    kind: "note",
    actorId: actor.userId,
    actorName: actor.name,
    occurredAt: new Date(start + i * 36_000),
    body: `Observation ${i}: queue depth ${1000 + i}`,
  }));
  for (let i = 0; i < events.length; i += 500) await db.insert(timelineEvents).values(events.slice(i, i + 500));
  await db.insert(stepExecutions).values(
    Array.from({ length: 50 }, (_, i) => ({
      runbookSlug: "bench",
      stepId: `s${i}`,
      stepTitle: `Step ${i}`,
      kind: "shell" as const,
      source: "./scripts/health.sh",
      ran: [],
      environmentId: crypto.randomUUID(),
      environmentName: "bench",
      host: "bench-1",
      exitCode: 0,
      expectationMet: true,
      state: "succeeded" as const,
      startedAt: new Date(start + i * 360_000),
      startedBy: actor.userId,
      startedByEmail: actor.email,
    })),
  );
  await db.update(incidents).set({ status: "resolved", resolvedAt: new Date() }).where(eq(incidents.id, incident.id));
  const first = await getReviewDetail(ctx, incident.ref);
  // One real write creates the review; the other 49 annotations are inserted as fixture rows.
  await annotateItem(ctx, { incidentId: incident.id, itemKey: first.timeline[0].key, body: "Annotation 0" });
  const [review] = await db.select().from(reviews).where(eq(reviews.incidentId, incident.id));
  await db.insert(reviewAnnotations).values(Array.from({ length: 49 }, (_, i) => ({ reviewId: review.id, itemKey: first.timeline[(i + 1) * 10].key, body: `Annotation ${i + 1}` })));

  const reads: number[] = [];
  let detail = first;
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    detail = await getReviewDetail(ctx, incident.ref);
    reads.push(performance.now() - t);
  }
  let t = performance.now();
  const md = reviewMarkdown(detail);
  const mdMs = performance.now() - t;
  t = performance.now();
  const csv = timelineCsv(detail.timeline);
  const csvMs = performance.now() - t;
  t = performance.now();
  await annotateItem(ctx, { incidentId: incident.id, itemKey: detail.timeline[5].key, body: "One more" });
  const writeMs = performance.now() - t;
  console.log(`review detail (${detail.timeline.length} timeline items): p50 ${pct(reads, 50).toFixed(1)} ms, p95 ${pct(reads, 95).toFixed(1)} ms over 10 reads`);
  console.log(`markdown export: ${mdMs.toFixed(1)} ms (${(md.length / 1024).toFixed(0)} KiB); CSV timeline: ${csvMs.toFixed(1)} ms (${(csv.length / 1024).toFixed(0)} KiB)`);
  console.log(`annotation write (re-reads the timeline): ${writeMs.toFixed(1)} ms`);
} finally {
  await database.cleanup();
}
