import "server-only";
import { desc, eq, inArray, and } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Severity } from "@/db/schema/incidents";
import { publicUpdates, statusReminderCadences } from "@/db/schema/status";
import { nextUpdateDue, type Reminder } from "./queries";

type DueIncident = { id: string; severity: Severity; status: string; declaredAt: Date };

/**
 * When each incident's next public update is due (null: no cadence, or not open), for the incident
 * header and the Overview. The same rule as the Public updates panel: nextUpdateDue.
 */
export async function publicUpdatesDue(db: Db, list: DueIncident[], now = new Date()): Promise<Map<string, Reminder>> {
  const out = new Map<string, Reminder>();
  if (list.length === 0) return out;
  const cadences = new Map((await db.select().from(statusReminderCadences)).map((c) => [c.severity, c.minutes]));
  const published = await db
    .selectDistinctOn([publicUpdates.incidentId], { incidentId: publicUpdates.incidentId, publishedAt: publicUpdates.publishedAt })
    .from(publicUpdates)
    .where(and(inArray(publicUpdates.incidentId, list.map((i) => i.id)), eq(publicUpdates.draft, false)))
    .orderBy(publicUpdates.incidentId, desc(publicUpdates.publishedAt));
  const last = new Map(published.map((p) => [p.incidentId, p.publishedAt]));
  for (const incident of list) {
    const minutes = cadences.get(incident.severity);
    out.set(incident.id, incident.severity === "SEV3" && !minutes ? null : nextUpdateDue(incident, minutes, last.get(incident.id) ?? null, now));
  }
  return out;
}
