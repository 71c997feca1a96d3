import { z } from "zod";
import type { GenericMapping } from "@/db/schema";
import type { IncomingAlert } from "../model";
import { MAX_ALERTS_PER_PAYLOAD, PayloadError, complete, parseTime, reasonOf, stringMap, type SourceInfo } from "./common";

/** The value at a dotted path ("data.alert.title", "items.0.name"); undefined when absent. */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

const scalar = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);

/** A generic JSON webhook read through the source's field mapping (dotted paths). */
export function parseGeneric(source: SourceInfo, body: unknown, now: Date): IncomingAlert[] {
  const mapping: GenericMapping | null | undefined = source.mapping;
  if (!mapping?.title) throw new PayloadError("this source has no field mapping; an admin sets one on the source");
  const list = mapping.alerts ? valueAt(body, mapping.alerts) : Array.isArray(body) ? body : [body];
  if (!Array.isArray(list)) throw new PayloadError(`${mapping.alerts}: expected a list of alerts`);
  if (list.length > MAX_ALERTS_PER_PAYLOAD) throw new PayloadError(`at most ${MAX_ALERTS_PER_PAYLOAD} alerts per payload`);
  const resolvedValues = (mapping.resolvedValues?.length ? mapping.resolvedValues : ["resolved", "ok", "closed", "recovered"]).map((v) => v.toLowerCase());
  const where = (i: number, path: string) => `${mapping.alerts ? `${mapping.alerts}.` : ""}${i}.${path}`;
  return list.map((item, i) => {
    if (!item || typeof item !== "object") throw new PayloadError(`${where(i, "")}: expected an object`.replace(/\.:/, ":"));
    const title = scalar(valueAt(item, mapping.title));
    if (!title) throw new PayloadError(`${where(i, mapping.title)}: the mapped title is missing`);
    let labels: Record<string, string> = {};
    if (mapping.labels) {
      const raw = valueAt(item, mapping.labels);
      if (raw !== undefined) {
        const parsed = stringMap.safeParse(raw);
        if (!parsed.success) throw new PayloadError(`${where(i, mapping.labels)}: ${reasonOf(parsed.error)}`);
        labels = parsed.data;
      }
    }
    const severity = mapping.severity ? scalar(valueAt(item, mapping.severity)) : undefined;
    if (severity && !labels.severity) labels.severity = severity;
    const statusText = mapping.status ? scalar(valueAt(item, mapping.status)) : undefined;
    const runbookUrl = mapping.runbookUrl ? scalar(valueAt(item, mapping.runbookUrl)) : undefined;
    const fingerprint = mapping.fingerprint ? scalar(valueAt(item, mapping.fingerprint)) : undefined;
    const startsAt = scalar(valueAt(item, "startsAt") ?? valueAt(item, "starts_at"));
    return complete(
      source,
      {
        fingerprint: fingerprint?.slice(0, 200),
        name: labels.alertname || title,
        title,
        severity,
        status: statusText && resolvedValues.includes(statusText.toLowerCase()) ? "resolved" : "firing",
        labels,
        annotations: {},
        runbookUrl,
        startsAt: parseTime(startsAt, where(i, "startsAt")),
        endsAt: null,
      },
      now,
    );
  });
}

/** What an admin enters for a generic source: dotted paths, title required. */
export const genericMappingSchema = z.object({
  alerts: z.string().trim().max(200).regex(/^[\w.-]*$/, "Dotted path, e.g. data.alerts").optional(),
  title: z.string().trim().min(1, "Map the title field.").max(200).regex(/^[\w.-]+$/, "Dotted path, e.g. alert.title"),
  severity: z.string().trim().max(200).regex(/^[\w.-]*$/, "Dotted path").optional(),
  labels: z.string().trim().max(200).regex(/^[\w.-]*$/, "Dotted path").optional(),
  fingerprint: z.string().trim().max(200).regex(/^[\w.-]*$/, "Dotted path").optional(),
  status: z.string().trim().max(200).regex(/^[\w.-]*$/, "Dotted path").optional(),
  runbookUrl: z.string().trim().max(200).regex(/^[\w.-]*$/, "Dotted path").optional(),
  resolvedValues: z.array(z.string().trim().min(1).max(50)).max(10).optional(),
});
