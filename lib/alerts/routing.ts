import "server-only";
import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertRoutingRules, type AlertRoutingRule } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { matchesAll } from "./matchers";
import { defaultSev, type Severity } from "./model";
import { createRuleSchema, deleteRuleSchema, moveRuleSchema, updateRuleSchema } from "./schemas";

export type Routing = {
  suggestedSeverity: "SEV1" | "SEV2" | "SEV3";
  surfaces: string[];
  owner: string;
  rule: { id: string; name: string; autoDeclare: boolean; autoDeclareAfterMs: number } | null;
};

export async function listRoutingRules(db: Db): Promise<AlertRoutingRule[]> {
  return db.select().from(alertRoutingRules).orderBy(asc(alertRoutingRules.position), asc(alertRoutingRules.name));
}

/** The first enabled rule whose matchers all hold decides; without one the alert's own severity does. */
export function route(rules: AlertRoutingRule[], alert: { labels: Record<string, string>; annotations: Record<string, string>; severity: string }): Routing {
  const rule = rules.find((r) => r.enabled && matchesAll(r.matchers, alert.labels));
  if (rule) {
    return {
      suggestedSeverity: rule.suggestedSeverity as Routing["suggestedSeverity"],
      surfaces: rule.surfaces.length ? rule.surfaces : defaultSurfaces(alert.labels),
      owner: rule.owner,
      rule: { id: rule.id, name: rule.name, autoDeclare: rule.autoDeclare, autoDeclareAfterMs: rule.autoDeclareAfterMs },
    };
  }
  return { suggestedSeverity: defaultSev(alert.severity as Severity, alert.annotations), surfaces: defaultSurfaces(alert.labels), owner: alert.labels.team ?? alert.labels.owner ?? "", rule: null };
}

function defaultSurfaces(labels: Record<string, string>): string[] {
  const s = labels.surface ?? labels.service ?? labels.component;
  return s ? [s] : [];
}

const view = (r: AlertRoutingRule) => ({ position: r.position, name: r.name, matchers: r.matchers, suggestedSeverity: r.suggestedSeverity, surfaces: r.surfaces, owner: r.owner, autoDeclare: r.autoDeclare, autoDeclareAfterMs: r.autoDeclareAfterMs, enabled: r.enabled });

function values(d: ReturnType<typeof createRuleSchema.parse>) {
  return {
    name: d.name,
    matchers: d.matchers,
    suggestedSeverity: d.suggestedSeverity,
    surfaces: d.surfaces,
    owner: d.owner,
    autoDeclare: d.autoDeclare,
    autoDeclareAfterMs: Math.round(d.autoDeclareAfterMinutes * 60_000),
    enabled: d.enabled,
  };
}

export async function createRoutingRule(ctx: Ctx, input: unknown): Promise<AlertRoutingRule> {
  requirePermission(ctx.actor, "alerts.configure");
  const data = parseInput(createRuleSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [last] = await tx.select({ max: sql<number>`coalesce(max(${alertRoutingRules.position}), 0)::int` }).from(alertRoutingRules);
    const [row] = await tx.insert(alertRoutingRules).values({ ...values(data), position: Number(last.max) + 1, updatedBy: ctx.actor.email }).returning();
    await writeAudit(tx, { actor: ctx.actor, action: "alert.routing.create", targetType: "alert_routing_rule", targetId: row.id, after: view(row) });
    return row;
  });
}

async function currentRule(tx: Db, id: string, version: number): Promise<AlertRoutingRule> {
  const [row] = await tx.select().from(alertRoutingRules).where(eq(alertRoutingRules.id, id)).limit(1);
  if (!row) throw new NotFoundError("That routing rule does not exist.");
  if (row.version !== version) throw new ConflictError("Someone changed this rule meanwhile; reload and try again.", view(row));
  return row;
}

async function save(tx: Db, row: AlertRoutingRule, set: Partial<typeof alertRoutingRules.$inferInsert>, actor: Ctx["actor"]) {
  const [updated] = await tx
    .update(alertRoutingRules)
    .set({ ...set, version: row.version + 1, updatedAt: new Date(), updatedBy: actor.email })
    .where(and(eq(alertRoutingRules.id, row.id), eq(alertRoutingRules.version, row.version)))
    .returning();
  if (!updated) throw new ConflictError("Someone changed this rule meanwhile; reload and try again.");
  return updated;
}

export async function updateRoutingRule(ctx: Ctx, input: unknown): Promise<AlertRoutingRule> {
  requirePermission(ctx.actor, "alerts.configure");
  const data = parseInput(updateRuleSchema, input);
  return ctx.db.transaction(async (tx) => {
    const row = await currentRule(tx, data.id, data.version);
    const updated = await save(tx, row, values(data), ctx.actor);
    await writeAudit(tx, { actor: ctx.actor, action: "alert.routing.update", targetType: "alert_routing_rule", targetId: row.id, before: view(row), after: view(updated) });
    return updated;
  });
}

/** Swaps a rule with its neighbour: order decides which rule wins. */
export async function moveRoutingRule(ctx: Ctx, input: unknown): Promise<AlertRoutingRule> {
  requirePermission(ctx.actor, "alerts.configure");
  const { id, version, direction } = parseInput(moveRuleSchema, input);
  return ctx.db.transaction(async (tx) => {
    const row = await currentRule(tx, id, version);
    const [neighbour] = await tx
      .select()
      .from(alertRoutingRules)
      .where(direction === "up" ? lt(alertRoutingRules.position, row.position) : gt(alertRoutingRules.position, row.position))
      .orderBy(direction === "up" ? sql`${alertRoutingRules.position} desc` : asc(alertRoutingRules.position))
      .limit(1);
    if (!neighbour) return row;
    const updated = await save(tx, row, { position: neighbour.position }, ctx.actor);
    await save(tx, neighbour, { position: row.position }, ctx.actor);
    await writeAudit(tx, { actor: ctx.actor, action: "alert.routing.move", targetType: "alert_routing_rule", targetId: row.id, before: { position: row.position }, after: { position: updated.position, swappedWith: neighbour.id } });
    return updated;
  });
}

export async function deleteRoutingRule(ctx: Ctx, input: unknown): Promise<{ id: string }> {
  requirePermission(ctx.actor, "alerts.configure");
  const { id, version } = parseInput(deleteRuleSchema, input);
  return ctx.db.transaction(async (tx) => {
    const row = await currentRule(tx, id, version);
    await tx.delete(alertRoutingRules).where(eq(alertRoutingRules.id, id));
    await writeAudit(tx, { actor: ctx.actor, action: "alert.routing.delete", targetType: "alert_routing_rule", targetId: id, before: view(row) });
    return { id };
  });
}
