import "server-only";
import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, not, like, notInArray, notLike, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEntries } from "@/db/schema/audit";
import { drills } from "@/db/schema/drills";
import { stepExecutions } from "@/db/schema/executions";
import { timelineEvents } from "@/db/schema/incidents";
import { reviewAddedEvents } from "@/db/schema/reviews";
import { publicUpdates } from "@/db/schema/status";
import { evidenceArtifacts, freezeApprovals, freezes, recoveryChecks } from "@/db/schema/triage";
import { users } from "@/db/schema/users";
import type { IncidentWindow, SourceItem, TimelineSource } from "./types";

// One small function per source. A source that does not exist in this build is simply not listed
// in SOURCES; each returns plain items and knows nothing about reviews.

const iso = (d: Date | string) => new Date(d).toISOString();
type Source = (db: Db, window: IncidentWindow, reviewId: string | null) => Promise<SourceItem[]>;

// The status area writes this event when it publishes an update (payload.updateId).
const UPDATE_PUBLISHED = "status.update_published";

function eventSource(kind: string): TimelineSource {
  if (kind === "note" || kind === "note.edited") return "note";
  if (kind === UPDATE_PUBLISHED) return "public_update";
  if (kind.startsWith("role.") || kind === "command.handed_over") return "role";
  return "incident";
}

// Event kinds that a dedicated source below already shows from its own table, with more detail.
const SHOWN_BY_OWN_SOURCE = new Set(["step.started", "step.finished", "evidence.captured", "freeze.on", "freeze.off", "freeze.approved", "freeze.approval_used", "recovery.validated", "recovery.overridden"]);
// Audit actions whose writer also put an event on the incident timeline (lib/incidents/record.ts
// writes both in one go): the event already tells the story.
const AUDITED_WITH_EVENT = ["evidence.capture", "trigger.declare", "recovery.validate", "recovery.override", "alert.declare", "alert.auto_declare", "alert.attach"];

/** The incident's own timeline, minus the review's bookkeeping events (they are not history). */
export const incidentEventsSource: Source = async (db, w) => {
  const rows = await db
    .select()
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, w.incidentId), notLike(timelineEvents.kind, "review.%")))
    .orderBy(asc(timelineEvents.seq));
  return rows.filter((e) => !SHOWN_BY_OWN_SOURCE.has(e.kind)).map((e) => ({
    key: `event:${e.seq}`,
    source: eventSource(e.kind),
    kind: e.kind,
    summary: e.body || e.kind,
    person: e.actorName,
    occurredAt: iso(e.occurredAt),
    recordedAt: iso(e.recordedAt),
    details: e.keyMomentLabel ? [{ label: "Marked during the incident", value: e.keyMomentLabel }] : [],
  }));
};

type ResultLike = { ordinal?: number; exitCode?: number | null; httpStatus?: number; met?: boolean; expected?: string };

/**
 * The runs made for this incident, and the runs that named no incident but started while it was
 * open (detection to resolution): someone may have run a step without saying what for. Runs made
 * for another incident stay with that one.
 */
export const executionsSource: Source = async (db, w) => {
  const rows = await db
    .select({ x: stepExecutions, name: users.name })
    .from(stepExecutions)
    .leftJoin(users, eq(sql`${users.id}::text`, stepExecutions.startedBy))
    .where(
      or(
        eq(stepExecutions.incidentId, w.incidentId),
        and(isNull(stepExecutions.incidentId), gte(stepExecutions.startedAt, w.from), lte(stepExecutions.startedAt, w.to)),
      ),
    )
    .orderBy(asc(stepExecutions.startedAt));
  return rows.map(({ x, name }) => {
    const results = (Array.isArray(x.results) ? x.results : []) as ResultLike[];
    const expected = results.length ? results.map((r) => r.expected ?? "success").join(", ") : "success";
    const actual =
      x.exitCode !== null ? `exit ${x.exitCode}` : x.httpStatus !== null ? `HTTP ${x.httpStatus}` : x.state === "running" ? "still running" : x.state;
    const details = [
      { label: "Command", value: x.source },
      { label: "Host", value: x.host ?? `${x.environmentName} (HTTP API)` },
      { label: "Exit code", value: x.exitCode === null ? (x.httpStatus !== null ? `HTTP ${x.httpStatus}` : "—") : String(x.exitCode) },
      { label: "Expected", value: expected },
      { label: "Actual", value: `${actual}; ${x.expectationMet === null ? "not judged" : x.expectationMet ? "as expected" : "NOT as expected"}` },
      { label: "Run for", value: x.incidentId ? "this incident" : "no incident named (started while it was open)" },
    ];
    return {
      key: `execution:${x.id}`,
      source: "execution" as const,
      kind: `execution.${x.state}`,
      summary: `Ran step “${x.stepTitle || x.stepId}” of ${x.runbookSlug} on ${x.environmentName} (${x.state})`,
      person: name ?? x.startedByEmail,
      occurredAt: iso(x.startedAt),
      recordedAt: iso(x.startedAt),
      details,
    };
  });
};

/** Validation drills started while the incident was open (drills have no incident id either). */
export const drillsSource: Source = async (db, w) => {
  const rows = await db
    .select()
    .from(drills)
    .where(and(gte(drills.startedAt, w.from), lte(drills.startedAt, w.to)))
    .orderBy(asc(drills.startedAt));
  return rows.map((d) => ({
    key: `drill:${d.id}`,
    source: "drill" as const,
    kind: `drill.${d.state}`,
    summary: `Drill of ${d.runbookTitle} (revision ${d.revisionNumber}) on ${d.environmentName}: ${d.result ?? d.state}`,
    person: d.startedByName,
    occurredAt: iso(d.startedAt),
    recordedAt: iso(d.startedAt),
    details: d.reason ? [{ label: "Result", value: d.reason }] : [],
  }));
};

/**
 * Published stakeholder updates (drafts were never seen by anyone outside), except those the
 * incident's own timeline already shows through the status area's "published" event.
 */
export const publicUpdatesSource: Source = async (db, w) => {
  const onTimeline = await db
    .select({ payload: timelineEvents.payload })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, w.incidentId), eq(timelineEvents.kind, UPDATE_PUBLISHED)));
  const shown = new Set(onTimeline.map((e) => String((e.payload as { updateId?: unknown }).updateId ?? "")));
  const rows = await db
    .select({ u: publicUpdates, name: users.name })
    .from(publicUpdates)
    .leftJoin(users, eq(sql`${users.id}::text`, publicUpdates.publishedBy))
    .where(and(eq(publicUpdates.incidentId, w.incidentId), eq(publicUpdates.draft, false), isNotNull(publicUpdates.publishedAt)))
    .orderBy(asc(publicUpdates.publishedAt));
  return rows.filter(({ u }) => !shown.has(u.id)).map(({ u, name }) => ({
    key: `public_update:${u.id}`,
    source: "public_update" as const,
    kind: `public_update.${u.status}`,
    summary: `Public update (${u.status}): ${u.message}`,
    person: name ?? u.publishedBy,
    occurredAt: iso(u.publishedAt!),
    recordedAt: iso(u.publishedAt!),
    details: [{ label: "Headline", value: u.title }],
  }));
};

/**
 * Audit entries about the incident that its own timeline does not already show: the incident
 * area writes an event for each of its "incident.*" actions, other areas may not.
 */
export const auditSource: Source = async (db, w) => {
  const rows = await db
    .select({ a: auditEntries, name: users.name })
    .from(auditEntries)
    .leftJoin(users, eq(sql`${users.id}::text`, auditEntries.actorId))
    .where(
      and(
        eq(auditEntries.targetType, "incident"),
        eq(auditEntries.targetId, w.incidentId),
        not(like(auditEntries.action, "incident.%")),
        not(like(auditEntries.action, "review.%")),
        notInArray(auditEntries.action, AUDITED_WITH_EVENT),
      ),
    )
    .orderBy(asc(auditEntries.seq));
  return rows.map(({ a, name }) => ({
    key: `audit:${a.seq}`,
    source: "audit" as const,
    kind: a.action,
    summary: a.action,
    person: name ?? a.actorEmail,
    occurredAt: iso(a.at),
    recordedAt: iso(a.at),
    details: a.actorRole ? [{ label: "Role", value: a.actorRole }] : [],
  }));
};

/** What reviewers added because nobody wrote it down at the time. */
export const addedInReviewSource: Source = async (db, _w, reviewId) => {
  if (!reviewId) return [];
  const rows = await db.select().from(reviewAddedEvents).where(eq(reviewAddedEvents.reviewId, reviewId)).orderBy(asc(reviewAddedEvents.occurredAt));
  return rows.map((r) => ({
    key: `added:${r.id}`,
    source: "review" as const,
    kind: "review.added_event",
    summary: r.body,
    person: r.personName || null,
    occurredAt: iso(r.occurredAt),
    recordedAt: iso(r.addedAt),
    details: [{ label: "Added in review by", value: r.addedByName ?? "" }],
  }));
};

/** Evidence snapshots captured for the incident (health, metrics, jobs, audit logs, DLQ). */
export const evidenceSource: Source = async (db, w) => {
  const rows = await db
    .select({ e: evidenceArtifacts, name: users.name })
    .from(evidenceArtifacts)
    .leftJoin(users, eq(sql`${users.id}::text`, evidenceArtifacts.capturedBy))
    .where(eq(evidenceArtifacts.incidentId, w.incidentId))
    .orderBy(asc(evidenceArtifacts.capturedAt));
  return rows.map(({ e, name }) => ({
    key: `evidence:${e.id}`,
    source: "evidence" as const,
    kind: `evidence.${e.kind}`,
    summary: e.error ? `Evidence ${e.kind} from ${e.sourceUrl} failed: ${e.error}` : `Evidence ${e.kind} captured from ${e.sourceUrl} (${e.sizeBytes} bytes)`,
    person: name ?? e.capturedBy,
    occurredAt: iso(e.capturedAt),
    recordedAt: iso(e.capturedAt),
    details: e.sha256 ? [{ label: "SHA-256", value: e.sha256 }] : [],
  }));
};

/** Names for columns that hold a user id as text (or already a name, which is kept). */
async function namesOf(db: Db, ids: (string | null)[]): Promise<(v: string | null) => string | null> {
  const uuids = [...new Set(ids.filter((v): v is string => !!v && /^[0-9a-f-]{36}$/i.test(v)))];
  const rows = uuids.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, uuids)) : [];
  const map = new Map(rows.map((r) => [r.id, r.name]));
  return (v) => (v ? (map.get(v) ?? v) : null);
}

/** Freezes put on and lifted, and the one-off approvals given during them. */
export const freezesSource: Source = async (db, w) => {
  const rows = await db.select().from(freezes).where(eq(freezes.incidentId, w.incidentId)).orderBy(asc(freezes.frozenAt));
  const items: SourceItem[] = [];
  for (const f of rows) {
    items.push({ key: `freeze:${f.id}`, source: "approval", kind: "freeze.on", summary: "Freeze put on careful and destructive actions", person: f.frozenBy, occurredAt: iso(f.frozenAt), recordedAt: iso(f.frozenAt), details: [] });
    if (f.liftedAt)
      items.push({ key: `unfreeze:${f.id}`, source: "approval", kind: "freeze.lifted", summary: "Freeze lifted", person: f.liftedBy, occurredAt: iso(f.liftedAt), recordedAt: iso(f.liftedAt), details: [] });
  }
  if (rows.length) {
    const approvals = await db.select().from(freezeApprovals).where(inArray(freezeApprovals.freezeId, rows.map((f) => f.id))).orderBy(asc(freezeApprovals.approvedAt));
    const name = await namesOf(db, [...rows.flatMap((f) => [f.frozenBy, f.liftedBy]), ...approvals.map((a) => a.approvedBy)]);
    for (const i of items) i.person = name(i.person);
    for (const a of approvals)
      items.push({
        key: `approval:${a.id}`,
        source: "approval",
        kind: "freeze.approval",
        summary: `Approved during the freeze: ${a.action}${a.target ? ` on ${a.target}` : ""}. ${a.reason}`,
        person: name(a.approvedBy),
        occurredAt: iso(a.approvedAt),
        recordedAt: iso(a.approvedAt),
        details: a.usedAt ? [{ label: "Used", value: iso(a.usedAt) }] : [],
      });
  }
  return items;
};

/** Recovery validation runs (seed 002 §6) and their verdicts. */
export const recoveryChecksSource: Source = async (db, w) => {
  const rows = await db.select().from(recoveryChecks).where(eq(recoveryChecks.incidentId, w.incidentId)).orderBy(asc(recoveryChecks.ranAt));
  const name = await namesOf(db, rows.map((r) => r.ranBy));
  return rows.map((r) => ({
    key: `recovery:${r.id}`,
    source: "evidence" as const,
    kind: "recovery_check",
    summary: `Recovery check ${r.passed ? "passed" : "failed"}${r.override ? ` (overridden: ${r.reason ?? ""})` : ""}`,
    person: name(r.ranBy),
    occurredAt: iso(r.ranAt),
    recordedAt: iso(r.ranAt),
    details: (r.results ?? []).map((c) => ({ label: c.check, value: `${c.passed ? "pass" : "fail"}: ${c.detail}` })),
  }));
};

export const SOURCES: Source[] = [
  incidentEventsSource,
  executionsSource,
  drillsSource,
  publicUpdatesSource,
  evidenceSource,
  freezesSource,
  recoveryChecksSource,
  auditSource,
  addedInReviewSource,
];
