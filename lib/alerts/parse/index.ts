import type { AlertSource } from "@/db/schema";
import type { IncomingAlert } from "../model";
import { parseAlertmanager } from "./alertmanager";
import { PayloadError, type SourceInfo } from "./common";
import { parseGeneric } from "./generic";
import { parseGrafana } from "./grafana";

export { PayloadError, MAX_ALERTS_PER_PAYLOAD, type SourceInfo } from "./common";
export { genericMappingSchema, valueAt } from "./generic";

/** A webhook body (already JSON-parsed) as alerts, or a PayloadError naming what is wrong. */
export function parsePayload(source: Pick<AlertSource, "id" | "kind" | "groupBy" | "mapping">, body: unknown, now = new Date()): IncomingAlert[] {
  const info: SourceInfo = { id: source.id, groupBy: source.groupBy, mapping: source.mapping };
  if (source.kind === "alertmanager") return parseAlertmanager(info, body, now);
  if (source.kind === "grafana") return parseGrafana(info, body, now);
  if (source.kind === "generic") return parseGeneric(info, body, now);
  throw new PayloadError("this source takes no webhooks");
}
