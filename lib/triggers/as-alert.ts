import "server-only";
import type { TriggerRule } from "@/db/schema";
import { groupKeyOf, type IncomingAlert } from "@/lib/alerts/model";

// Sitrep's own trigger rules speak the same alert model as Alertmanager: one fingerprint per
// rule and environment, labels a routing rule can match, and the metric to chart.

const SEVERITY_OF_SEV: Record<string, IncomingAlert["severity"]> = { SEV1: "critical", SEV2: "warning", SEV3: "info" };

/** The signal each rule judges, for the chart on the alert (health_after_deploy has none). */
export const RULE_METRIC: Record<string, { metric: string; unit: string } | undefined> = {
  api_5xx: { metric: "oris_runtime_http_5xx_total", unit: "responses" },
  queue_no_dispatch: { metric: "oris_runtime_queue_depth", unit: "jobs" },
  recovery_latency: { metric: "oris_runtime_recovery_latency_ms", unit: "ms" },
  terminal_error_rate: { metric: "oris_runtime_terminal_error_rate", unit: "ratio" },
};

const valueText = (data: Record<string, unknown>) =>
  Object.entries(data)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("|") : String(v)}`)
    .join(" ");

export function triggerAlert(sourceId: string, rule: TriggerRule, environment: { id: string; name: string }, state: { firing: boolean; firingSince: Date | null; clearedAt: Date | null; lastData: Record<string, unknown> }, now: Date): IncomingAlert {
  const severity = SEVERITY_OF_SEV[rule.suggestedSeverity] ?? "warning";
  const labels = { alertname: rule.key, environment: environment.name, surface: rule.surface, severity, source: "sitrep" };
  const metric = RULE_METRIC[rule.key];
  const annotations: Record<string, string> = {
    summary: rule.name,
    description: rule.description,
    playbook: rule.playbook,
    suggested_severity: rule.suggestedSeverity,
    value: valueText(state.lastData),
    ...(metric ? { metric: metric.metric, unit: metric.unit, threshold: String(rule.threshold) } : {}),
  };
  return {
    fingerprint: `sitrep:${rule.key}:${environment.id}`,
    name: rule.key,
    title: rule.name,
    severity,
    status: state.firing ? "firing" : "resolved",
    labels,
    annotations,
    runbookUrl: null,
    generatorUrl: "/alerts/rules",
    startsAt: state.firingSince ?? now,
    endsAt: state.firing ? null : (state.clearedAt ?? now),
    environmentId: environment.id,
    ...groupKeyOf(sourceId, ["alertname"], labels),
  };
}

/** The thresholds of the enabled metric rules, per signal, to draw on its chart. */
export function ruleThresholds(rules: TriggerRule[]): Record<string, { value: number; label: string }[]> {
  const out: Record<string, { value: number; label: string }[]> = {};
  for (const r of rules) {
    const m = RULE_METRIC[r.key];
    // The 5xx rule counts new answers between scrapes, not the running total the chart shows.
    if (!m || !r.enabled || r.key === "api_5xx") continue;
    (out[m.metric] ??= []).push({ value: r.threshold, label: r.name });
  }
  return out;
}
