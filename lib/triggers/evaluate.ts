import "server-only";
import { and, desc, eq, gte, or, ilike } from "drizzle-orm";
import type { Db } from "@/db/client";
import { environments, environmentSurfaces, signalScrapes, stepExecutions, triggerStates, type TriggerRule, type TriggerState } from "@/db/schema";
import { latestValues } from "@/lib/signals/scrape";
import { ingestAlerts } from "@/lib/alerts/ingest";
import { ensureSitrepSource } from "@/lib/alerts/sources";
import { listRules, type RuleKey } from "./rules";
import { triggerAlert } from "./as-alert";


type Verdict = { holds: boolean; data: Record<string, unknown> };

/** Whether a rule's condition holds on the latest data of an environment. */
async function judge(db: Db, environmentId: string, rule: TriggerRule, now: Date): Promise<Verdict> {
  const key = rule.key as RuleKey;
  if (key === "queue_no_dispatch") {
    const depth = await latestValues(db, environmentId, "oris_runtime_queue_depth", 2);
    const completed = await latestValues(db, environmentId, "oris_runtime_jobs_completed_total", 2);
    if (depth.length < 1 || completed.length < 2) return { holds: false, data: { reason: "not enough samples yet" } };
    const dispatched = completed[0].value - completed[1].value;
    const rising = depth.length < 2 || depth[0].value >= depth[1].value;
    return { holds: depth[0].value > rule.threshold && dispatched <= 0 && rising, data: { queueDepth: depth[0].value, previousQueueDepth: depth[1]?.value ?? null, completedSinceLastScrape: dispatched } };
  }
  if (key === "api_5xx") {
    const v = await latestValues(db, environmentId, "oris_runtime_http_5xx_total", 2);
    if (v.length < 2) return { holds: false, data: {} };
    const delta = v[0].value - v[1].value;
    return { holds: delta >= rule.threshold, data: { http5xxSinceLastScrape: delta } };
  }
  if (key === "recovery_latency") {
    const [v] = await latestValues(db, environmentId, "oris_runtime_recovery_latency_ms", 1);
    return { holds: !!v && v.value > rule.threshold, data: { recoveryLatencyMs: v?.value ?? null } };
  }
  if (key === "terminal_error_rate") {
    const [v] = await latestValues(db, environmentId, "oris_runtime_terminal_error_rate", 1);
    return { holds: !!v && v.value > rule.threshold, data: { terminalErrorRate: v?.value ?? null, baseline: rule.threshold } };
  }
  // health_after_deploy: a surface is down and a deploy/rollback step ran within `threshold` minutes.
  const down = await db
    .select({ name: environmentSurfaces.name })
    .from(environmentSurfaces)
    .where(and(eq(environmentSurfaces.environmentId, environmentId), eq(environmentSurfaces.state, "down")));
  if (!down.length) return { holds: false, data: {} };
  const since = new Date(now.getTime() - rule.threshold * 60_000);
  const [deploy] = await db
    .select({ id: stepExecutions.id, startedAt: stepExecutions.startedAt, stepTitle: stepExecutions.stepTitle })
    .from(stepExecutions)
    .where(and(eq(stepExecutions.environmentId, environmentId), gte(stepExecutions.startedAt, since), or(ilike(stepExecutions.source, "%deploy%"), ilike(stepExecutions.source, "%rollback%"))))
    .orderBy(desc(stepExecutions.startedAt))
    .limit(1);
  return { holds: !!deploy, data: { downSurfaces: down.map((d) => d.name), deployExecutionId: deploy?.id ?? null, deployStep: deploy?.stepTitle ?? null } };
}

export type TriggerChange = { ruleKey: string; environmentId: string; change: "fired" | "cleared" };

/**
 * Runs after each scrape: every enabled rule is judged; a condition that held for the rule's
 * duration fires, one that stops holding clears. Each firing rule is an alert (lib/alerts): changes
 * reach the inbox through the alerts channel.
 */
export async function evaluateTriggers(db: Db, environmentId: string, now = new Date()): Promise<TriggerChange[]> {
  const rules = await listRules(db);
  const [lastScrape] = await db.select().from(signalScrapes).where(eq(signalScrapes.environmentId, environmentId)).orderBy(desc(signalScrapes.at)).limit(1);
  const changes: TriggerChange[] = [];
  const source = await ensureSitrepSource(db);
  const [environment] = await db.select({ id: environments.id, name: environments.name }).from(environments).where(eq(environments.id, environmentId));
  if (!environment) return changes;
  for (const rule of rules) {
    // A failed scrape says nothing new about metric rules: keep their state.
    if (lastScrape && !lastScrape.ok && rule.key !== "health_after_deploy") continue;
    const verdict = rule.enabled ? await judge(db, environmentId, rule, now) : { holds: false, data: { disabled: true } };
    const change = await db.transaction(async (tx) => {
      const [existing] = await tx.select().from(triggerStates).where(and(eq(triggerStates.environmentId, environmentId), eq(triggerStates.ruleId, rule.id)));
      const state: Partial<TriggerState> = existing ?? {};
      let next: Partial<typeof triggerStates.$inferInsert>;
      let kind: "fired" | "cleared" | null = null;
      if (verdict.holds) {
        const pendingSince = state.pendingSince ?? now;
        const due = now.getTime() - pendingSince.getTime() >= rule.durationMs;
        if (due && !state.firing) kind = "fired";
        next = { pendingSince, firing: state.firing || due, firingSince: kind === "fired" ? now : state.firingSince ?? null, lastData: verdict.data, evaluatedAt: now };
        if (kind === "fired") next.clearedAt = null;
      } else {
        if (state.firing) kind = "cleared";
        next = { pendingSince: null, firing: false, clearedAt: kind === "cleared" ? now : state.clearedAt ?? null, lastData: verdict.data, evaluatedAt: now };
      }
      if (existing) await tx.update(triggerStates).set(next).where(eq(triggerStates.id, existing.id));
      else await tx.insert(triggerStates).values({ environmentId, ruleId: rule.id, ...next });
      // The alert model: a firing rule is a firing alert (refreshed each evaluation), a cleared one resolves it.
      if (next.firing || kind === "cleared") {
        const alertState = { firing: !!next.firing, firingSince: next.firingSince ?? null, clearedAt: next.clearedAt ?? null, lastData: verdict.data };
        await ingestAlerts(tx, source, [triggerAlert(source.id, rule, environment, alertState, now)], now);
      }
      return kind;
    });
    if (change) changes.push({ ruleKey: rule.key, environmentId, change });
  }
  return changes;
}
