// Human words for alert states and the timeline kinds alerts add. Kept here until the shared
// label map (app/_lib/labels.ts) exists; then these entries move there.
import type { Severity } from "@/lib/alerts/model";

export const ALERT_EVENT_LABELS: Record<string, string> = {
  "alert.fired": "Alert fired",
  "alert.resolved": "Alert resolved",
  "alert.attached": "Alert attached",
  "alert.declared": "Declared from alert",
  "alert.auto_declared": "Declared automatically",
};

export const SEVERITY_LABELS: Record<Severity, string> = { critical: "Critical", warning: "Warning", info: "Info", none: "No severity" };

export const severityClass: Record<Severity, string> = {
  critical: "bg-sev1 text-white dark:text-black",
  warning: "border border-sev2 text-sev2",
  info: "border border-sev3 text-sev3",
  none: "border border-line text-muted",
};

export const SOURCE_KIND_LABELS: Record<string, string> = { alertmanager: "Alertmanager", grafana: "Grafana", generic: "Generic JSON", sitrep: "Sitrep trigger rules" };
