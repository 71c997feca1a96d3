import "server-only";
import { and, asc, desc, eq, gte, inArray, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { environments, timelineEvents, triggerRules, triggerStates } from "@/db/schema";

export type TriggerView = {
  stateId: string;
  ruleKey: string;
  ruleName: string;
  environmentId: string;
  environmentName: string;
  firing: boolean;
  firingSince: string | null;
  clearedAt: string | null;
  suggestedSeverity: string;
  playbook: string;
  surface: string;
  data: Record<string, unknown>;
};

/** Firing triggers, and those that cleared within `clearedWithinMs` (so the banner can say so). */
export async function activeTriggers(db: Db, clearedWithinMs = 10 * 60_000): Promise<TriggerView[]> {
  const since = new Date(Date.now() - clearedWithinMs);
  const rows = await db
    .select({ s: triggerStates, r: triggerRules, envName: environments.name })
    .from(triggerStates)
    .innerJoin(triggerRules, eq(triggerRules.id, triggerStates.ruleId))
    .innerJoin(environments, eq(environments.id, triggerStates.environmentId))
    .where(or(eq(triggerStates.firing, true), and(eq(triggerStates.firing, false), gte(triggerStates.clearedAt, since))))
    .orderBy(desc(triggerStates.firing), desc(triggerStates.firingSince));
  return rows.map(({ s, r, envName }) => ({
    stateId: s.id,
    ruleKey: r.key,
    ruleName: r.name,
    environmentId: s.environmentId,
    environmentName: envName,
    firing: s.firing,
    firingSince: s.firingSince?.toISOString() ?? null,
    clearedAt: s.clearedAt?.toISOString() ?? null,
    suggestedSeverity: r.suggestedSeverity,
    playbook: r.playbook,
    surface: r.surface,
    data: s.lastData,
  }));
}


/** The playbook named by the trigger or alert an incident was declared from (kept on its timeline), if any. */
export async function playbookOfIncident(db: Db, incidentId: string): Promise<string | null> {
  const [event] = await db
    .select({ payload: timelineEvents.payload })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, incidentId), inArray(timelineEvents.kind, ["trigger.declared", "alert.declared", "alert.auto_declared"])))
    .orderBy(asc(timelineEvents.seq))
    .limit(1);
  const playbook = (event?.payload as { playbook?: unknown } | undefined)?.playbook;
  return typeof playbook === "string" && playbook ? playbook : null;
}
