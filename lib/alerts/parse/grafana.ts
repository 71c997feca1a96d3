import { z } from "zod";
import type { IncomingAlert } from "../model";
import { alertmanagerAlertSchema } from "./alertmanager";
import { MAX_ALERTS_PER_PAYLOAD, complete, parseTime, parseWith, stringMap, type SourceInfo } from "./common";

const alertSchema = alertmanagerAlertSchema.extend({
  dashboardURL: z.string().max(4_096).optional(),
  panelURL: z.string().max(4_096).optional(),
  valueString: z.string().max(8_192).optional(),
});

/** Grafana alerting's webhook contact point (Alertmanager's shape plus title, state, values). */
export const grafanaSchema = z.object({
  receiver: z.string().max(1_000).optional(),
  status: z.enum(["firing", "resolved"]),
  orgId: z.number().optional(),
  groupKey: z.string().max(4_096).optional(),
  groupLabels: stringMap.optional().default({}),
  commonLabels: stringMap.optional().default({}),
  title: z.string().max(1_000).optional(),
  alerts: z.array(alertSchema).min(1, "no alerts in the payload").max(MAX_ALERTS_PER_PAYLOAD, `at most ${MAX_ALERTS_PER_PAYLOAD} alerts per payload`),
});

export function parseGrafana(source: SourceInfo, body: unknown, now: Date): IncomingAlert[] {
  const payload = parseWith(grafanaSchema, body);
  return payload.alerts.map((a, i) => {
    const name = a.labels.alertname || a.labels.__alert_rule_title__ || payload.title || "Grafana alert";
    const annotations = { ...a.annotations };
    if (a.valueString && !annotations.value) annotations.value = a.valueString;
    if (a.dashboardURL) annotations.dashboard_url = a.dashboardURL;
    return complete(
      source,
      {
        fingerprint: a.fingerprint,
        name,
        status: a.status,
        labels: a.labels,
        annotations,
        generatorUrl: a.generatorURL || a.panelURL || a.dashboardURL,
        startsAt: parseTime(a.startsAt, `alerts.${i}.startsAt`),
        endsAt: parseTime(a.endsAt, `alerts.${i}.endsAt`),
        groupKey: payload.groupKey,
        groupLabels: payload.groupLabels,
      },
      now,
    );
  });
}
