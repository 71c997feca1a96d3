// The one alert model every source is turned into: Alertmanager, Grafana, generic JSON and
// Sitrep's own trigger rules. Pure data, no database.
import { createHash } from "node:crypto";

export type AlertState = "firing" | "resolved";

/** One alert as a notification describes it, before dedupe. */
export type IncomingAlert = {
  fingerprint: string;
  /** The alert name (Prometheus `alertname`, Grafana rule name, a rule key). */
  name: string;
  title: string;
  severity: Severity;
  status: AlertState;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl: string | null;
  generatorUrl: string | null;
  startsAt: Date;
  endsAt: Date | null;
  groupKey: string;
  groupLabels: Record<string, string>;
  environmentId?: string | null;
};

export const SEVERITIES = ["critical", "warning", "info", "none"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe: the inbox orders groups by it. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2, none: 3 };

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: "critical",
  crit: "critical",
  page: "critical",
  emergency: "critical",
  fatal: "critical",
  high: "critical",
  p1: "critical",
  sev1: "critical",
  error: "warning",
  warning: "warning",
  warn: "warning",
  major: "warning",
  medium: "warning",
  p2: "warning",
  sev2: "warning",
  info: "info",
  informational: "info",
  minor: "info",
  low: "info",
  notice: "info",
  p3: "info",
  sev3: "info",
};

/** A source's severity word ("crit", "P1", "Warning") in the inbox's four levels. */
export function normaliseSeverity(value: string | null | undefined): Severity {
  if (!value) return "none";
  return SEVERITY_WORDS[value.trim().toLowerCase()] ?? "none";
}

/** The SEV an alert suggests when no routing rule says otherwise. */
export function defaultSev(severity: Severity, annotations: Record<string, string> = {}): "SEV1" | "SEV2" | "SEV3" {
  const explicit = annotations.suggested_severity?.toUpperCase();
  if (explicit === "SEV1" || explicit === "SEV2" || explicit === "SEV3") return explicit;
  return severity === "critical" ? "SEV1" : severity === "warning" ? "SEV2" : "SEV3";
}

/** Stable label-set identity, as Alertmanager's fingerprint is: same labels, same fingerprint. */
export function labelFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join("\u0001");
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/** Alertmanager-style group key: the source plus the values of its group-by labels. */
export function groupKeyOf(sourceId: string, groupBy: string[], labels: Record<string, string>): { groupKey: string; groupLabels: Record<string, string> } {
  const groupLabels: Record<string, string> = {};
  for (const name of groupBy) if (labels[name] !== undefined) groupLabels[name] = labels[name];
  const parts = Object.keys(groupLabels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(groupLabels[k])}`);
  return { groupKey: `${sourceId}:{${parts.join(",")}}`, groupLabels };
}
