import type { Incident, TimelineEvent } from "@/db/schema/incidents";
import { formatNumber } from "./state-machine";

// Plain JSON shapes that cross to the browser, the CLI and the live stream.

export type TimelineEventView = {
  seq: number;
  incidentId: string;
  kind: string;
  actorId: string | null;
  actorName: string | null;
  occurredAt: string;
  recordedAt: string;
  body: string;
  payload: Record<string, unknown>;
  keyMoment: string | null;
  keyMomentLabel: string | null;
  keyMomentBy: string | null;
  keyMomentAt: string | null;
  editedAt: string | null;
  editedBy: string | null;
  version: number;
  /** Notes only, where the reader needs it: the markdown rendered on the server (note-html.ts). */
  html?: string;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toEventView(row: TimelineEvent): TimelineEventView {
  return {
    seq: Number(row.seq),
    incidentId: row.incidentId,
    kind: row.kind,
    actorId: row.actorId,
    actorName: row.actorName,
    occurredAt: iso(row.occurredAt)!,
    recordedAt: iso(row.recordedAt)!,
    body: row.body,
    payload: row.payload ?? {},
    keyMoment: row.keyMoment,
    keyMomentLabel: row.keyMomentLabel,
    keyMomentBy: row.keyMomentBy,
    keyMomentAt: iso(row.keyMomentAt),
    editedAt: iso(row.editedAt),
    editedBy: row.editedBy,
    version: row.version,
  };
}

export type IncidentView = {
  id: string;
  number: number;
  ref: string;
  title: string;
  severity: Incident["severity"];
  status: Incident["status"];
  summary: string;
  surfaces: string[];
  commanderId: string | null;
  detectedAt: string;
  detectedBy: string | null;
  declaredAt: string;
  declaredBy: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  mitigatedAt: string | null;
  mitigatedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  closeOverrideReason: string | null;
  version: number;
  updatedAt: string;
};

export function incidentView(row: Incident): IncidentView {
  return {
    id: row.id,
    number: row.number,
    ref: formatNumber(row.number),
    title: row.title,
    severity: row.severity,
    status: row.status,
    summary: row.summary,
    surfaces: row.surfaces ?? [],
    commanderId: row.commanderId,
    detectedAt: iso(row.detectedAt)!,
    detectedBy: row.detectedBy,
    declaredAt: iso(row.declaredAt)!,
    declaredBy: row.declaredBy,
    acknowledgedAt: iso(row.acknowledgedAt),
    acknowledgedBy: row.acknowledgedBy,
    mitigatedAt: iso(row.mitigatedAt),
    mitigatedBy: row.mitigatedBy,
    resolvedAt: iso(row.resolvedAt),
    resolvedBy: row.resolvedBy,
    closedAt: iso(row.closedAt),
    closedBy: row.closedBy,
    closeOverrideReason: row.closeOverrideReason,
    version: row.version,
    updatedAt: iso(row.updatedAt)!,
  };
}
