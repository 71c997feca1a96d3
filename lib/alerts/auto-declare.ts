import "server-only";
import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, type Alert } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import type { IncidentView } from "@/lib/incidents";
import { declareDefaults, declareForAlert } from "./declare";
import { SEVERITY_RANK, type Severity } from "./model";
import { activeSilences, getAlert, silenceFor } from "./queries";
import { listRoutingRules, route } from "./routing";

// Serialises auto-declare across console instances sharing one PostgreSQL: the second instance
// waits, then finds the alerts already attached and declares nothing.
const AUTO_DECLARE_LOCK = 7270017;
/** A storm must not open hundreds of incidents in one go; the rest wait for the next tick. */
const MAX_PER_TICK = 10;

/**
 * One pass of the routing rules' auto-declare: every firing alert that is not attached, not
 * silenced, and whose first matching rule auto-declares after a time it has now been firing,
 * declares one incident per group, by "Sitrep", with the commander left to assign.
 * `now` is injectable so tests run a five-minute rule in no time.
 */
export async function autoDeclareTick(db: Db, now = new Date()): Promise<IncidentView[]> {
  const rules = await listRoutingRules(db);
  const auto = rules.filter((r) => r.enabled && r.autoDeclare);
  if (!auto.length) return [];
  const shortest = Math.min(...auto.map((r) => r.autoDeclareAfterMs));
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUTO_DECLARE_LOCK})`);
    const candidates = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.status, "firing"), isNull(alerts.incidentId), lte(alerts.startsAt, new Date(now.getTime() - shortest))))
      .orderBy(asc(alerts.startsAt))
      .limit(5_000);
    if (!candidates.length) return [];
    const silences = await activeSilences(tx, now);
    const due = new Map<string, Alert>();
    for (const a of candidates) {
      const routing = route(rules, a);
      if (!routing.rule?.autoDeclare || now.getTime() - a.startsAt.getTime() < routing.rule.autoDeclareAfterMs) continue;
      if (silenceFor(silences, a.labels)) continue;
      const lead = due.get(a.groupKey);
      if (!lead || SEVERITY_RANK[a.severity as Severity] < SEVERITY_RANK[lead.severity as Severity]) due.set(a.groupKey, a);
    }
    const declared: IncidentView[] = [];
    const actor = systemActor();
    for (const alert of [...due.values()].slice(0, MAX_PER_TICK)) {
      const view = await getAlert(tx, alert.id, now);
      const d = declareDefaults(view, now.getTime());
      declared.push(await declareForAlert(tx, actor, view, alert, d, "alert.auto_declared"));
    }
    return declared;
  });
}
