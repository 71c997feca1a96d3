import { z } from "zod";
import type { IncomingAlert } from "../model";
import { MAX_ALERTS_PER_PAYLOAD, PayloadError, complete, parseTime, parseWith, stringMap, type SourceInfo } from "./common";

/** One alert as Alertmanager sends it (Grafana sends the same, plus a few fields). */
export const alertmanagerAlertSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: stringMap,
  annotations: stringMap.optional().default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().max(4_096).optional(),
  fingerprint: z.string().max(200).optional(),
});

/** Alertmanager's webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export const alertmanagerSchema = z.object({
  version: z.literal("4", { error: "only Alertmanager webhook payload version \"4\" is understood" }),
  groupKey: z.string().max(4_096),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string().max(1_000).optional(),
  groupLabels: stringMap.optional().default({}),
  commonLabels: stringMap.optional().default({}),
  commonAnnotations: stringMap.optional().default({}),
  externalURL: z.string().max(4_096).optional(),
  alerts: z.array(alertmanagerAlertSchema).max(MAX_ALERTS_PER_PAYLOAD, `at most ${MAX_ALERTS_PER_PAYLOAD} alerts per payload`),
});

export function parseAlertmanager(source: SourceInfo, body: unknown, now: Date): IncomingAlert[] {
  const payload = parseWith(alertmanagerSchema, body);
  return payload.alerts.map((a, i) => {
    if (!a.labels.alertname) throw new PayloadError(`alerts.${i}.labels: alertname is missing`);
    return complete(
      source,
      {
        fingerprint: a.fingerprint,
        name: a.labels.alertname,
        status: a.status,
        labels: a.labels,
        annotations: a.annotations,
        generatorUrl: a.generatorURL,
        startsAt: parseTime(a.startsAt, `alerts.${i}.startsAt`),
        endsAt: parseTime(a.endsAt, `alerts.${i}.endsAt`),
        // Alertmanager already grouped these: keep its group.
        groupKey: payload.groupKey,
        groupLabels: payload.groupLabels,
      },
      now,
    );
  });
}
