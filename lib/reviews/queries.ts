import "server-only";
import { and, asc, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, timelineEvents, type Incident } from "@/db/schema/incidents";
import { reviewFollowUps, reviewKeyMoments, reviewMoments, reviewReviewers, reviews, type Review, type ReviewMoment } from "@/db/schema/reviews";
import { users } from "@/db/schema/users";
import { can, requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ForbiddenError } from "@/lib/errors";
import { aggregateDurations, computeDurations, momentOrderProblems, monthKey, type AggregateRow, type Durations, type MomentProblem } from "./durations";
import { findReview, readIncidentByRef } from "./store";
import { buildTimeline } from "./timeline/build";
import type { TimelineItem } from "./timeline/types";

export const REVIEW_DEADLINE_HOURS = 48;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const ref = (n: number) => `INC-${n}`;

export type MomentView = { occurredAt: string; from: "review" | "incident"; itemKey: string | null; markedByName: string | null };
export type Deadline = { dueAt: string; overdue: boolean } | null;

/** SEV1 and SEV2 reviews are due 48 hours after resolution; overdue until published. */
export function reviewDeadline(incident: Pick<Incident, "severity" | "resolvedAt">, status: Review["status"] | null, now = new Date()): Deadline {
  if (incident.severity === "SEV3" || !incident.resolvedAt) return null;
  const due = new Date(new Date(incident.resolvedAt).getTime() + REVIEW_DEADLINE_HOURS * 3600_000);
  return { dueAt: due.toISOString(), overdue: status !== "published" && now.getTime() > due.getTime() };
}

/**
 * Each key moment as the review settled it, else as the incident recorded it (a key-moment mark
 * on an incident event, else the incident's own column). "started" falls back to detection.
 */
export async function effectiveMoments(db: Db, incident: Incident, review: Review | null): Promise<Partial<Record<ReviewMoment, MomentView>>> {
  const out: Partial<Record<ReviewMoment, MomentView>> = {};
  const marked = await db
    .select()
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, incident.id), isNotNull(timelineEvents.keyMoment)))
    .orderBy(asc(timelineEvents.seq));
  for (const e of marked) {
    if (e.keyMoment === "detected" || e.keyMoment === "mitigated" || e.keyMoment === "resolved")
      out[e.keyMoment] = { occurredAt: iso(e.occurredAt)!, from: "incident", itemKey: `event:${e.seq}`, markedByName: e.keyMomentBy };
  }
  const columns: [ReviewMoment, Date | null][] = [
    ["detected", incident.detectedAt],
    ["acknowledged", incident.acknowledgedAt],
    ["mitigated", incident.mitigatedAt],
    ["resolved", incident.resolvedAt],
  ];
  for (const [moment, at] of columns) if (!out[moment] && at) out[moment] = { occurredAt: iso(at)!, from: "incident", itemKey: null, markedByName: null };
  if (!out.started && out.detected) out.started = { ...out.detected };
  if (review) {
    const rows = await db.select().from(reviewKeyMoments).where(eq(reviewKeyMoments.reviewId, review.id));
    for (const m of rows) out[m.moment] = { occurredAt: iso(m.occurredAt)!, from: "review", itemKey: m.itemKey, markedByName: m.markedByName };
  }
  // Without a reviewer's "started", the start is never later than the (possibly corrected) detection.
  if (out.started?.from !== "review" && out.detected && (!out.started || out.detected.occurredAt < out.started.occurredAt)) {
    out.started = { ...out.detected, from: out.detected.from };
  }
  return out;
}

export const momentTimes = (m: Partial<Record<ReviewMoment, MomentView>>) =>
  Object.fromEntries(reviewMoments.map((k) => [k, m[k]?.occurredAt ?? null])) as Record<ReviewMoment, string | null>;

export type ReviewDetail = {
  incident: { id: string; ref: string; title: string; severity: Incident["severity"]; status: Incident["status"]; resolvedAt: string | null; declaredAt: string };
  review: (Omit<Review, "createdAt" | "updatedAt" | "submittedAt" | "publishedAt"> & { publishedAt: string | null; updatedAt: string }) | null;
  status: Review["status"];
  version: number;
  reviewers: { userId: string; name: string; approvedAt: string | null; approvedVersion: number | null; approvesCurrent: boolean }[];
  moments: Partial<Record<ReviewMoment, MomentView>>;
  durations: Durations;
  /** Key moments out of order (the review warns; /reliability leaves the incident out). */
  momentProblems: MomentProblem[];
  timeline: TimelineItem[];
  followUps: { id: string; title: string; ownerId: string | null; ownerName: string | null; dueDate: string | null; state: string; runbookAction: "update" | "create" | null; runbookSlug: string | null; version: number }[];
  deadline: Deadline;
};

/** Everything the review page and the exports show. Viewers see published reviews only. */
export async function getReviewDetail(ctx: Ctx, incidentRef: string): Promise<ReviewDetail> {
  requirePermission(ctx.actor, "reviews.read");
  const incident = await readIncidentByRef(ctx.db, incidentRef);
  const review = await findReview(ctx.db, incident.id);
  const status = review?.status ?? "draft";
  if (status !== "published" && !can(ctx.actor.role, "reviews.read_drafts")) {
    throw new ForbiddenError("This review is not published yet; viewers read published reviews only.", "reviews.read_drafts");
  }
  const [timeline, moments, reviewerRows, followUpRows] = await Promise.all([
    buildTimeline(ctx.db, incident, review),
    effectiveMoments(ctx.db, incident, review),
    review
      ? ctx.db
          .select({ r: reviewReviewers, name: users.name })
          .from(reviewReviewers)
          .innerJoin(users, eq(users.id, reviewReviewers.userId))
          .where(eq(reviewReviewers.reviewId, review.id))
          .orderBy(asc(reviewReviewers.addedAt))
      : Promise.resolve([]),
    review
      ? ctx.db
          .select({ f: reviewFollowUps, ownerName: users.name })
          .from(reviewFollowUps)
          .leftJoin(users, eq(users.id, reviewFollowUps.ownerId))
          .where(eq(reviewFollowUps.reviewId, review.id))
          .orderBy(asc(reviewFollowUps.createdAt))
      : Promise.resolve([]),
  ]);
  return {
    incident: {
      id: incident.id,
      ref: ref(incident.number),
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      resolvedAt: iso(incident.resolvedAt),
      declaredAt: iso(incident.declaredAt)!,
    },
    review: review ? { ...review, publishedAt: iso(review.publishedAt), updatedAt: iso(review.updatedAt)! } : null,
    status,
    version: review?.version ?? 0,
    reviewers: reviewerRows.map(({ r, name }) => ({
      userId: r.userId,
      name,
      approvedAt: iso(r.approvedAt),
      approvedVersion: r.approvedVersion,
      approvesCurrent: !!review && r.approvedVersion === review.version,
    })),
    moments,
    durations: computeDurations(momentTimes(moments)),
    momentProblems: momentOrderProblems(momentTimes(moments), incident.declaredAt),
    timeline,
    followUps: followUpRows.map(({ f, ownerName }) => ({
      id: f.id,
      title: f.title,
      ownerId: f.ownerId,
      ownerName,
      dueDate: f.dueDate,
      state: f.state,
      runbookAction: f.runbookAction,
      runbookSlug: f.runbookSlug,
      version: f.version,
    })),
    deadline: reviewDeadline(incident, status),
  };
}

export type ReviewListItem = {
  incidentId: string;
  ref: string;
  title: string;
  severity: Incident["severity"];
  resolvedAt: string | null;
  status: Review["status"];
  started: boolean;
  deadline: Deadline;
  openFollowUps: number;
};

/** Resolved and closed incidents with their review state; viewers see published ones only. */
export async function listReviews(ctx: Ctx, now = new Date()): Promise<ReviewListItem[]> {
  requirePermission(ctx.actor, "reviews.read");
  const rows = await ctx.db
    .select({ incident: incidents, review: reviews })
    .from(incidents)
    .leftJoin(reviews, eq(reviews.incidentId, incidents.id))
    .where(inArray(incidents.status, ["resolved", "closed"]))
    .orderBy(desc(incidents.resolvedAt))
    .limit(500);
  const drafts = can(ctx.actor.role, "reviews.read_drafts");
  const visible = rows.filter((r) => drafts || r.review?.status === "published");
  const ids = visible.map((r) => r.review?.id).filter((v): v is string => !!v);
  const open = ids.length
    ? await ctx.db
        .select({ reviewId: reviewFollowUps.reviewId, state: reviewFollowUps.state })
        .from(reviewFollowUps)
        .where(and(inArray(reviewFollowUps.reviewId, ids), inArray(reviewFollowUps.state, ["open", "in_progress"])))
    : [];
  return visible.map(({ incident, review }) => ({
    incidentId: incident.id,
    ref: ref(incident.number),
    title: incident.title,
    severity: incident.severity,
    resolvedAt: iso(incident.resolvedAt),
    status: review?.status ?? "draft",
    started: !!review,
    deadline: reviewDeadline(incident, review?.status ?? null, now),
    openFollowUps: open.filter((o) => o.reviewId === review?.id).length,
  }));
}

export type Reliability = {
  incidents: number;
  bySeverity: AggregateRow[];
  byMonth: AggregateRow[];
  onlyPublished: boolean;
  /** Incidents left out of the figures because their key moments are out of order. */
  excluded: { ref: string; title: string; severity: Incident["severity"]; problems: string[] }[];
};

/**
 * Durations across resolved incidents, by severity and by month of the start. Viewers get the
 * figures of published reviews only, like everything else about reviews.
 */
export async function reliabilityReport(ctx: Ctx): Promise<Reliability> {
  requirePermission(ctx.actor, "reviews.read");
  const onlyPublished = !can(ctx.actor.role, "reviews.read_drafts");
  const rows = await ctx.db
    .select({ incident: incidents, review: reviews })
    .from(incidents)
    .leftJoin(reviews, eq(reviews.incidentId, incidents.id))
    .where(inArray(incidents.status, ["resolved", "closed"]));
  const kept = rows.filter((r) => !onlyPublished || r.review?.status === "published");
  const items = await Promise.all(
    kept.map(async ({ incident, review }) => {
      const m = await effectiveMoments(ctx.db, incident, review);
      const times = momentTimes(m);
      return {
        ref: ref(incident.number),
        title: incident.title,
        severity: incident.severity,
        month: monthKey(times.started ?? incident.declaredAt),
        durations: computeDurations(times),
        problems: momentOrderProblems(times, incident.declaredAt),
      };
    }),
  );
  // A figure from moments out of order (a 0 s detection, a mitigation before detection) is wrong:
  // such incidents are listed for their reviewers to fix, not averaged in.
  const counted = items.filter((i) => i.problems.length === 0);
  return {
    incidents: counted.length,
    bySeverity: aggregateDurations(counted, (i) => i.severity, (i) => i.durations),
    byMonth: aggregateDurations(counted, (i) => i.month, (i) => i.durations),
    onlyPublished,
    excluded: items.filter((i) => i.problems.length > 0).map((i) => ({ ref: i.ref, title: i.title, severity: i.severity, problems: i.problems.map((p) => p.message) })),
  };
}

/** Active people, for owners and reviewers. */
export async function listPeople(ctx: Ctx): Promise<{ id: string; name: string; role: string }[]> {
  requirePermission(ctx.actor, "reviews.read");
  const rows = await ctx.db.select({ id: users.id, name: users.name, role: users.role, disabledAt: users.disabledAt }).from(users).orderBy(asc(users.name));
  return rows.filter((u) => !u.disabledAt).map(({ id, name, role }) => ({ id, name, role }));
}
