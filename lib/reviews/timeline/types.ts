import type { ReviewMoment } from "@/db/schema/reviews";

export const TIMELINE_SOURCES = ["incident", "note", "role", "execution", "drill", "public_update", "evidence", "approval", "audit", "review"] as const;
export type TimelineSource = (typeof TIMELINE_SOURCES)[number];

export const SOURCE_LABELS: Record<TimelineSource, string> = {
  incident: "Incident",
  note: "Note",
  role: "Role change",
  execution: "Step execution",
  drill: "Drill",
  public_update: "Public update",
  evidence: "Evidence",
  approval: "Freeze / approval",
  audit: "Audit",
  review: "Added in review",
};

/** One entry as a source reports it, before the review's corrections and notes are applied. */
export type SourceItem = {
  /** Stable across reads: "<source>:<id>". Annotations, corrections and moments point at it. */
  key: string;
  source: TimelineSource;
  kind: string;
  summary: string;
  person: string | null;
  occurredAt: string;
  recordedAt: string;
  details: { label: string; value: string }[];
};

export type TimelineItem = SourceItem & {
  /** The time the source recorded; differs from occurredAt when a reviewer corrected it. */
  originalOccurredAt: string;
  correction: { reason: string; by: string | null; at: string } | null;
  addedInReview: boolean;
  annotations: { id: string; body: string; by: string | null; at: string }[];
  moments: ReviewMoment[];
};

/** The span the incident covers: sources without an incident id (executions, drills) use it. */
export type IncidentWindow = { incidentId: string; from: Date; to: Date };
