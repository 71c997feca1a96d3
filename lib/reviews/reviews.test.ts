import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEntries } from "@/db/schema/audit";
import { incidents, timelineEvents } from "@/db/schema/incidents";
import { stepExecutions } from "@/db/schema/executions";
import { environments } from "@/db/schema/environments";
import { evidenceArtifacts, freezeApprovals, freezes, recoveryChecks } from "@/db/schema/triage";
import { verifyAuditChain } from "@/lib/audit";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { addNote, changeStatus, declareIncident, ensureIncidentDefaults } from "@/lib/incidents";
import { importRunbooks } from "@/lib/runbooks";
import { ensureStatusDefaults, saveUpdate } from "@/lib/status";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import {
  addFollowUp,
  addMissedEvent,
  addReviewer,
  annotateItem,
  approveReview,
  correctOccurredAt,
  getReviewDetail,
  listReviews,
  markMoment,
  publishReview,
  reliabilityReport,
  reviewMarkdown,
  submitForReview,
  timelineCsv,
  updateFollowUpState,
  updateReview,
} from "./index";

let db: TestDatabase;
type U = Awaited<ReturnType<typeof makeUser>>;
let admin: U, commander: U, commander2: U, responder: U, viewer: U;
const ctx = (u: U) => ({ actor: u.actor, db: db.db });
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
let incidentId: string;
let ref: string;

const audits = (action: string) => db.db.select().from(auditEntries).where(eq(auditEntries.action, action));

beforeAll(async () => {
  db = await createTestDb();
  await ensureIncidentDefaults(db.db);
  await ensureStatusDefaults(db.db);
  [admin, commander, commander2, responder, viewer] = await Promise.all(
    (["admin", "commander", "commander", "responder", "viewer"] as const).map((role) => makeUser(db.db, { role })),
  );
  // Pending runbooks come from the seed 003 index, imported through the runbook library.
  const seeds = path.resolve(process.cwd(), "../shared/seeds");
  const name = fs.readdirSync(seeds).find((f) => f.startsWith("003"))!;
  await importRunbooks(ctx(admin), [{ name, bytes: new Uint8Array(fs.readFileSync(path.join(seeds, name))) }]);

  const incident = await declareIncident(ctx(commander), { title: "Worker queue stalled", severity: "SEV1", surfaces: ["worker"], detectedAt: ago(180) });
  incidentId = incident.id;
  ref = incident.ref;
  await addNote(ctx(responder), { incidentId, body: "Queue depth at 4000 and climbing", occurredAt: ago(170) });
  // A fixture row for a step that ran (running one for real needs a host agent; the e2e does that),
  // in the shape lib/executions stores.
  await db.db.insert(stepExecutions).values({
    runbookSlug: "ops-runbook",
    stepId: "s-restart",
    stepTitle: "Restart the worker",
    kind: "shell",
    source: "scripts/restart-worker.sh",
    ran: [],
    environmentId: crypto.randomUUID(),
    environmentName: "production",
    host: "worker-1",
    results: [{ ordinal: 1, kind: "shell", exitCode: 0, met: true, expected: "success", durationMs: 1200 }],
    exitCode: 0,
    expectationMet: true,
    state: "succeeded",
    startedAt: ago(150),
    finishedAt: ago(149),
    startedBy: responder.user.id,
    startedByEmail: responder.user.email,
  });
  await saveUpdate(ctx(commander), { incidentId, title: "Delayed job processing", status: "identified", message: "Jobs are delayed; a fix is rolling out.", publish: true });
  await changeStatus(ctx(commander), { incidentId, version: incident.version, to: "resolved" });
});
afterAll(async () => {
  await db?.cleanup();
});

describe(`merged timeline (${process.env.SITREP_TEST_DRIVER ?? "pglite"})`, () => {
  it("holds notes, step executions and public updates in one chronological list", async () => {
    const d = await getReviewDetail(ctx(commander), ref);
    const sources = d.timeline.map((i) => i.source);
    expect(sources).toEqual(expect.arrayContaining(["incident", "note", "execution", "public_update"]));
    const note = d.timeline.findIndex((i) => i.source === "note");
    const exec = d.timeline.findIndex((i) => i.source === "execution");
    const update = d.timeline.findIndex((i) => i.source === "public_update");
    expect(note).toBeLessThan(exec);
    expect(exec).toBeLessThan(update);
    // The status area's own "published" event and the update row are one item, not two.
    expect(d.timeline.filter((i) => i.source === "public_update")).toHaveLength(1);
    expect(d.timeline[exec].details).toEqual(expect.arrayContaining([{ label: "Host", value: "worker-1" }, { label: "Exit code", value: "0" }]));
    const times = d.timeline.map((i) => Date.parse(i.occurredAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(d.review).toBeNull();
    expect(d.deadline?.overdue).toBe(false);
  });

  it("includes evidence, freezes with their approvals and recovery checks when the triage area recorded them", async () => {
    // Fixture rows in the shape the triage schema stores (its lib drives real capture from hosts).
    const [env] = await db.db.select().from(environments).limit(1);
    const environmentId = env?.id ?? (await db.db.insert(environments).values({ name: "review-env", kind: "drill", controlBaseUrl: "http://127.0.0.1:9", runtimeBaseUrl: "http://127.0.0.1:9" }).returning())[0].id;
    await db.db.insert(evidenceArtifacts).values({ incidentId, environmentId, captureId: crypto.randomUUID(), kind: "health", sourceUrl: "http://runtime/healthz", sha256: "ab".repeat(32), sizeBytes: 12, capturedAt: ago(165), capturedBy: commander.user.id });
    const [freeze] = await db.db.insert(freezes).values({ incidentId, environmentId, frozenBy: commander.user.id, frozenAt: ago(155), liftedBy: commander.user.id, liftedAt: ago(100) }).returning();
    await db.db.insert(freezeApprovals).values({ freezeId: freeze.id, action: "rollback", reason: "Roll back the bad release", approvedBy: commander.user.id, approvedAt: ago(152) });
    await db.db.insert(recoveryChecks).values({ incidentId, environmentId, passed: true, results: [{ check: "healthz", passed: true, detail: "200" }], ranBy: commander.user.id, ranAt: ago(90) });
    const d = await getReviewDetail(ctx(commander), ref);
    const kinds = d.timeline.filter((i) => i.source === "evidence" || i.source === "approval").map((i) => i.kind);
    expect(kinds).toEqual(["evidence.health", "freeze.on", "freeze.approval", "freeze.lifted", "recovery_check"]);
    expect(d.timeline.find((i) => i.kind === "freeze.approval")?.person).toBe(commander.user.name);
  });

  it("viewers may not read a review that is not published", async () => {
    await expect(getReviewDetail(ctx(viewer), ref)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("review edits", () => {
  it("marks key moments from an item or a typed time; refused for responders and viewers; audited and on the incident timeline", async () => {
    const d = await getReviewDetail(ctx(commander), ref);
    const note = d.timeline.find((i) => i.source === "note")!;
    const exec = d.timeline.find((i) => i.source === "execution")!;
    await markMoment(ctx(commander), { incidentId, moment: "detected", itemKey: note.key });
    await markMoment(ctx(commander), { incidentId, moment: "mitigated", itemKey: exec.key });
    await markMoment(ctx(commander), { incidentId, moment: "started", occurredAt: ago(200).toISOString().slice(0, 16) });
    for (const u of [responder, viewer]) {
      await expect(markMoment(ctx(u), { incidentId, moment: "detected", itemKey: note.key })).rejects.toBeInstanceOf(ForbiddenError);
    }
    const after = await getReviewDetail(ctx(commander), ref);
    expect(after.moments.detected).toMatchObject({ occurredAt: note.occurredAt, from: "review", itemKey: note.key });
    expect(after.moments.mitigated?.occurredAt).toBe(exec.occurredAt);
    expect(after.timeline.find((i) => i.key === exec.key)!.moments).toEqual(["mitigated"]);
    expect(after.durations.mitigate).toBe(Date.parse(exec.occurredAt) - Date.parse(after.moments.started!.occurredAt));
    expect(await audits("review.moment.mark")).toHaveLength(3);
    expect(await audits("review.create")).toHaveLength(1);
    const events = await db.db.select().from(timelineEvents).where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "review.moment_marked")));
    expect(events).toHaveLength(3);
    // The review's own bookkeeping is not part of the reconstructed history.
    expect(after.timeline.some((i) => i.kind.startsWith("review."))).toBe(false);
  });

  it("corrects an occurred-at keeping the original, and moments taken from the item follow it; audited", async () => {
    const d = await getReviewDetail(ctx(commander), ref);
    const note = d.timeline.find((i) => i.source === "note")!;
    const corrected = ago(175);
    await expect(correctOccurredAt(ctx(responder), { incidentId, itemKey: note.key, occurredAt: corrected.toISOString(), reason: "clock" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(correctOccurredAt(ctx(commander), { incidentId, itemKey: note.key, occurredAt: ago(-60).toISOString(), reason: "future" })).rejects.toBeInstanceOf(ValidationError);
    await correctOccurredAt(ctx(commander), { incidentId, itemKey: note.key, occurredAt: corrected.toISOString(), reason: "The pager fired five minutes before the note" });
    const after = await getReviewDetail(ctx(commander), ref);
    const item = after.timeline.find((i) => i.key === note.key)!;
    expect(item.occurredAt).toBe(corrected.toISOString());
    expect(item.originalOccurredAt).toBe(note.originalOccurredAt);
    expect(item.correction?.reason).toContain("pager");
    expect(after.moments.detected?.occurredAt).toBe(corrected.toISOString());
    // The reviewer's "started" (200 min ago) stays; it is earlier than the corrected detection.
    expect(Date.parse(after.moments.started!.occurredAt)).toBeLessThan(corrected.getTime());
    const [entry] = await audits("review.occurred_at.correct");
    expect(entry.after).toMatchObject({ itemKey: note.key, occurredAt: corrected.toISOString() });
    expect(entry.before).toMatchObject({ original: note.originalOccurredAt });
  });

  it("annotations: responders may annotate, viewers may not; audited", async () => {
    const d = await getReviewDetail(ctx(commander), ref);
    const exec = d.timeline.find((i) => i.source === "execution")!;
    await annotateItem(ctx(responder), { incidentId, itemKey: exec.key, body: "I ran this from the runbook, not from memory" });
    await expect(annotateItem(ctx(viewer), { incidentId, itemKey: exec.key, body: "x" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(annotateItem(ctx(commander), { incidentId, itemKey: "event:999999", body: "x" })).rejects.toThrow(/not on this incident/);
    const after = await getReviewDetail(ctx(commander), ref);
    expect(after.timeline.find((i) => i.key === exec.key)!.annotations.map((a) => a.body)).toEqual(["I ran this from the runbook, not from memory"]);
    expect(await audits("review.annotation.add")).toHaveLength(1);
  });

  it("adds a missed event marked as added in review; refused for responders; audited", async () => {
    await expect(addMissedEvent(ctx(responder), { incidentId, occurredAt: ago(160).toISOString(), body: "Paged the database team" })).rejects.toBeInstanceOf(ForbiddenError);
    await addMissedEvent(ctx(commander), { incidentId, occurredAt: ago(160).toISOString(), body: "Paged the database team by phone", personName: "Casey" });
    const after = await getReviewDetail(ctx(commander), ref);
    const added = after.timeline.find((i) => i.addedInReview)!;
    expect(added).toMatchObject({ source: "review", summary: "Paged the database team by phone", person: "Casey" });
    expect(await audits("review.event.add")).toHaveLength(1);
  });

  it("saves the review text with a version check; refused for responders; audited", async () => {
    const d = await getReviewDetail(ctx(commander), ref);
    const text = { summary: "Workers stalled", impact: "Jobs delayed 2 h", rootCause: "Lease table lock", contributingFactors: "No alert on lease age", wentWell: "Fast rollback", missingDocs: "Lease runbook", missingAlerts: "Lease age", missingAutomation: "Auto restart" };
    await expect(updateReview(ctx(responder), { incidentId, version: d.version, ...text })).rejects.toBeInstanceOf(ForbiddenError);
    const saved = await updateReview(ctx(commander), { incidentId, version: d.version, ...text });
    expect(saved.version).toBe(d.version + 1);
    await expect(updateReview(ctx(commander2), { incidentId, version: d.version, ...text, summary: "stale" })).rejects.toBeInstanceOf(ConflictError);
    const [entry] = await audits("review.update");
    expect(entry.after).toMatchObject({ rootCause: "Lease table lock" });
  });

  it("adds follow-ups linked to a pending runbook (create) and refuses a wrong link; refused for responders; audited", async () => {
    await expect(addFollowUp(ctx(responder), { incidentId, title: "Write it", runbook: "create:incident-response" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(addFollowUp(ctx(commander), { incidentId, title: "Update it", runbook: "update:incident-response" })).rejects.toBeInstanceOf(ValidationError);
    await expect(addFollowUp(ctx(commander), { incidentId, title: "Nope", runbook: "create:no-such-runbook" })).rejects.toBeInstanceOf(ValidationError);
    const f = await addFollowUp(ctx(commander), {
      incidentId,
      title: "Write the general incident response runbook",
      ownerId: commander2.user.id,
      dueDate: "2026-12-31",
      runbook: "create:incident-response",
    });
    expect(f).toMatchObject({ runbookAction: "create", runbookSlug: "incident-response", state: "open" });
    const [entry] = await audits("review.follow_up.add");
    expect(entry.after).toMatchObject({ runbookSlug: "incident-response" });
  });
});

describe("workflow", () => {
  it("submits, approves the current version, publishes; viewers cannot approve; published reviews are read-only", async () => {
    await expect(publishReview(ctx(commander), { incidentId })).rejects.toBeInstanceOf(ConflictError);
    await submitForReview(ctx(commander), { incidentId });
    await expect(addReviewer(ctx(commander), { incidentId, userId: responder.user.id })).rejects.toBeInstanceOf(ValidationError);
    await addReviewer(ctx(commander), { incidentId, userId: commander2.user.id });
    const d = await getReviewDetail(ctx(commander2), ref);
    await expect(approveReview(ctx(viewer), { incidentId, version: d.version })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(approveReview(ctx(commander2), { incidentId, version: d.version - 1 })).rejects.toBeInstanceOf(ConflictError);
    await approveReview(ctx(commander2), { incidentId, version: d.version });
    await expect(publishReview(ctx(responder), { incidentId })).rejects.toBeInstanceOf(ForbiddenError);
    const published = await publishReview(ctx(commander), { incidentId });
    expect(published.status).toBe("published");
    await expect(updateReview(ctx(commander), { incidentId, version: published.version, summary: "late edit" })).rejects.toBeInstanceOf(ConflictError);
    await expect(annotateItem(ctx(responder), { incidentId, itemKey: d.timeline[0].key, body: "late" })).rejects.toBeInstanceOf(ConflictError);
    for (const action of ["review.submit", "review.reviewer.add", "review.approve", "review.publish"]) expect(await audits(action)).toHaveLength(1);

    const seen = await getReviewDetail(ctx(viewer), ref);
    expect(seen.status).toBe("published");
    expect(seen.reviewers.find((r) => r.userId === commander2.user.id)?.approvesCurrent).toBe(true);

    // Follow-up work goes on after publishing.
    const f = seen.followUps[0];
    await expect(updateFollowUpState(ctx(viewer), { id: f.id, version: f.version, state: "done" })).rejects.toBeInstanceOf(ForbiddenError);
    await updateFollowUpState(ctx(commander2), { id: f.id, version: f.version, state: "in_progress" });
    await expect(updateFollowUpState(ctx(commander), { id: f.id, version: f.version, state: "done" })).rejects.toBeInstanceOf(ConflictError);
    expect(await audits("review.follow_up.state")).toHaveLength(1);
  });

  it("exports markdown with the timeline and follow-ups, and a CSV that quotes correctly", async () => {
    const d = await getReviewDetail(ctx(viewer), ref);
    const md = reviewMarkdown(d);
    expect(md).toContain("## Timeline");
    expect(md).toContain("Queue depth at 4000 and climbing");
    expect(md).toContain("Restart the worker");
    expect(md).toContain("Public update published (identified)");
    expect(md).toContain("create runbook incident-response");
    expect(md).toContain("recorded as");
    const csv = timelineCsv(d.timeline);
    expect(csv.split("\r\n")[0]).toMatch(/^occurred_at_utc,original_occurred_at_utc/);
    expect(csv).toContain('"Command: scripts/restart-worker.sh\nHost: worker-1\nExit code: 0');
  });
});

describe("lists and reliability", () => {
  it("flags overdue SEV1/SEV2 reviews and hides unpublished ones from viewers", async () => {
    const late = await declareIncident(ctx(commander), { title: "Old outage", severity: "SEV2", surfaces: ["api"], detectedAt: ago(5 * 24 * 60) });
    await changeStatus(ctx(commander), { incidentId: late.id, version: late.version, to: "resolved" });
    // Moved back in time as a whole: acknowledged and mitigated stay before resolved (else /reliability leaves it out).
    await db.db.update(incidents).set({ acknowledgedAt: ago(3 * 24 * 60 + 30), mitigatedAt: ago(3 * 24 * 60 + 10), resolvedAt: ago(3 * 24 * 60) }).where(eq(incidents.id, late.id));
    const list = await listReviews(ctx(responder));
    expect(list.find((r) => r.incidentId === late.id)).toMatchObject({ status: "draft", deadline: { overdue: true } });
    expect(list.find((r) => r.incidentId === incidentId)).toMatchObject({ status: "published", deadline: { overdue: false } });
    // Detection marked earlier than the incident recorded it: the start follows it.
    const earlier = ago(6 * 24 * 60).toISOString();
    await markMoment(ctx(commander), { incidentId: late.id, moment: "detected", occurredAt: earlier });
    const lateDetail = await getReviewDetail(ctx(commander), late.ref);
    expect(lateDetail.moments.started?.occurredAt).toBe(earlier);
    expect(lateDetail.durations.detect).toBe(0);
    const forViewer = await listReviews(ctx(viewer));
    expect(forViewer.map((r) => r.incidentId)).toEqual([incidentId]);
  });

  it("aggregates durations by severity and month", async () => {
    const report = await reliabilityReport(ctx(commander));
    expect(report.excluded).toEqual([]);
    expect(report.incidents).toBe(2);
    expect(report.bySeverity.map((r) => r.key)).toEqual(["SEV1", "SEV2"]);
    expect(report.bySeverity[0].stats.mitigate.count).toBe(1);
    const forViewer = await reliabilityReport(ctx(viewer));
    expect(forViewer).toMatchObject({ incidents: 1, onlyPublished: true });
  });

  it("leaves the audit chain intact", async () => {
    expect((await verifyAuditChain(db.db)).ok).toBe(true);
  });
});

describe("step runs that name their incident", () => {
  it("are taken by that link, in or out of the window; runs for another incident stay there", async () => {
    const [other] = await db.db.select().from(incidents).where(eq(incidents.title, "Old outage"));
    const base = { kind: "shell" as const, ran: [], environmentId: crypto.randomUUID(), environmentName: "production", state: "succeeded" as const, startedBy: responder.user.id, startedByEmail: responder.user.email };
    // After resolution (outside the window), but run for this incident: a verification run.
    await db.db.insert(stepExecutions).values({ ...base, runbookSlug: "ops-runbook", stepId: "s-verify", stepTitle: "Verify the queue drains", source: "scripts/queue-depth.sh", incidentId, startedAt: new Date() });
    // Inside this incident's window, but run for the other one.
    await db.db.insert(stepExecutions).values({ ...base, runbookSlug: "ops-runbook", stepId: "s-other", stepTitle: "Step for the old outage", source: "scripts/other.sh", incidentId: other.id, startedAt: ago(140) });
    const d = await getReviewDetail(ctx(commander), ref);
    const runs = d.timeline.filter((i) => i.source === "execution");
    expect(runs.map((i) => i.summary)).toEqual([
      expect.stringContaining("Restart the worker"),
      expect.stringContaining("Verify the queue drains"),
    ]);
    expect(runs[1].details).toEqual(expect.arrayContaining([{ label: "Run for", value: "this incident" }]));
    expect(runs[0].details).toEqual(expect.arrayContaining([{ label: "Run for", value: "no incident named (started while it was open)" }]));
  });
});
