import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Incident } from "@/db/schema/incidents";
import { reviewAnnotations, reviewKeyMoments, reviewTimeCorrections, type Review } from "@/db/schema/reviews";
import { mergeTimeline, type ReviewOverlay } from "./merge";
import { SOURCES } from "./sources";
import type { IncidentWindow, SourceItem, TimelineItem } from "./types";

const iso = (d: Date | string) => new Date(d).toISOString();

/** From the earliest known start to resolution (or now, while the incident is still open). */
export function incidentWindow(incident: Incident, startedAt?: Date | null): IncidentWindow {
  const starts = [incident.detectedAt, incident.declaredAt, startedAt].filter((d): d is Date => !!d).map((d) => new Date(d).getTime());
  const end = incident.resolvedAt ?? incident.closedAt ?? new Date();
  return { incidentId: incident.id, from: new Date(Math.min(...starts)), to: new Date(end) };
}

export async function sourceItems(db: Db, incident: Incident, review: Review | null, startedAt?: Date | null): Promise<SourceItem[]> {
  const window = incidentWindow(incident, startedAt);
  const lists = await Promise.all(SOURCES.map((source) => source(db, window, review?.id ?? null)));
  return lists.flat();
}

export async function loadOverlay(db: Db, review: Review | null): Promise<ReviewOverlay> {
  if (!review) return { corrections: [], annotations: [], moments: [] };
  const [corrections, annotations, moments] = await Promise.all([
    db.select().from(reviewTimeCorrections).where(eq(reviewTimeCorrections.reviewId, review.id)),
    db.select().from(reviewAnnotations).where(eq(reviewAnnotations.reviewId, review.id)).orderBy(reviewAnnotations.createdAt),
    db.select().from(reviewKeyMoments).where(eq(reviewKeyMoments.reviewId, review.id)),
  ]);
  return {
    corrections: corrections.map((c) => ({
      itemKey: c.itemKey,
      correctedOccurredAt: iso(c.correctedOccurredAt),
      reason: c.reason,
      correctedByName: c.correctedByName,
      correctedAt: iso(c.correctedAt),
    })),
    annotations: annotations.map((a) => ({ id: a.id, itemKey: a.itemKey, body: a.body, createdByName: a.createdByName, createdAt: iso(a.createdAt) })),
    moments: moments.map((m) => ({ moment: m.moment, itemKey: m.itemKey })),
  };
}

/** The merged timeline of one incident with the review's corrections, notes and marks applied. */
export async function buildTimeline(db: Db, incident: Incident, review: Review | null): Promise<TimelineItem[]> {
  const started = review
    ? (await db.select().from(reviewKeyMoments).where(eq(reviewKeyMoments.reviewId, review.id))).find((m) => m.moment === "started")?.occurredAt
    : null;
  const [items, overlay] = await Promise.all([sourceItems(db, incident, review, started), loadOverlay(db, review)]);
  return mergeTimeline(items, overlay);
}
