import { z } from "zod";
import type { GenericMapping } from "@/db/schema";
import { groupKeyOf, labelFingerprint, normaliseSeverity, type IncomingAlert } from "../model";

/** A payload Sitrep cannot take: answered 400 with this reason and counted against the source. */
export class PayloadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "PayloadError";
  }
}

/** What a parser knows about the source it parses for. */
export type SourceInfo = { id: string; groupBy: string[]; mapping?: GenericMapping | null };

export const MAX_ALERTS_PER_PAYLOAD = 1_000;

export const stringMap = z
  .record(z.string().min(1).max(200), z.union([z.string().max(8_192), z.number(), z.boolean()]).transform(String))
  .refine((m) => Object.keys(m).length <= 128, "at most 128 entries");

/** zod's first issue as one line a sender can act on: `alerts.3.startsAt: Invalid ISO datetime`. */
export function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join(".") : "body";
  return `${where}: ${issue.message}`;
}

export function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new PayloadError(reasonOf(result.error));
  return result.data;
}

/** Alertmanager and Grafana send "0001-01-01T00:00:00Z" for "no end yet". */
export function parseTime(value: string | undefined | null, field: string): Date | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new PayloadError(`${field}: not a date (${value.slice(0, 40)})`);
  return d.getUTCFullYear() <= 1 ? null : d;
}

export type Draft = {
  fingerprint?: string | null;
  name: string;
  title?: string | null;
  severity?: string | null;
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl?: string | null;
  generatorUrl?: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  groupKey?: string | null;
  groupLabels?: Record<string, string>;
};

/** Fills what a source left out: fingerprint from labels, group from the source's group-by labels. */
export function complete(source: SourceInfo, draft: Draft, now: Date): IncomingAlert {
  const labels = { ...draft.labels };
  if (!labels.alertname) labels.alertname = draft.name;
  const group = draft.groupKey ? { groupKey: `${source.id}:${draft.groupKey}`, groupLabels: draft.groupLabels ?? {} } : groupKeyOf(source.id, source.groupBy, labels);
  const annotations = draft.annotations;
  return {
    fingerprint: draft.fingerprint || labelFingerprint(labels),
    name: draft.name.slice(0, 200),
    title: (draft.title || annotations.summary || annotations.title || draft.name).slice(0, 500),
    severity: normaliseSeverity(draft.severity ?? labels.severity ?? labels.priority),
    status: draft.status,
    labels,
    annotations,
    runbookUrl: draft.runbookUrl || annotations.runbook_url || annotations.runbook || null,
    generatorUrl: draft.generatorUrl || null,
    startsAt: draft.startsAt ?? now,
    endsAt: draft.status === "resolved" ? (draft.endsAt ?? now) : null,
    groupKey: group.groupKey,
    groupLabels: group.groupLabels,
  };
}
