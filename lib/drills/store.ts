import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { drillPlans, drills, drillSteps, type Drill, type DrillStep } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { NotFoundError } from "@/lib/errors";
import { BUILTIN_PLANS } from "./builtin-plans";
import { drillPlanSchema, EMPTY_PLAN, type DrillPlan } from "./plan";

export const DRILLS_CHANNEL = "drills";

/** Values a drill has produced: by name, plus the runs it created (for cleanup). */
export type DrillVariables = { values: Record<string, string>; createdRuns: string[] };

export function variablesOf(drill: Pick<Drill, "variables">): DrillVariables {
  const v = (drill.variables ?? {}) as Partial<DrillVariables>;
  return { values: { ...(v.values ?? {}) }, createdRuns: [...(v.createdRuns ?? [])] };
}

export async function findDrill(db: Db, id: string): Promise<Drill> {
  const [row] = await db.select().from(drills).where(eq(drills.id, id)).limit(1);
  if (!row) throw new NotFoundError("That drill does not exist.");
  return row;
}

/** Every attempt of every item, in item order then attempt order. */
export async function drillRows(db: Db, drillId: string): Promise<DrillStep[]> {
  return db.select().from(drillSteps).where(eq(drillSteps.drillId, drillId)).orderBy(asc(drillSteps.position), asc(drillSteps.attempt));
}

/** The latest attempt of each item. */
export function latestAttempts(rows: DrillStep[]): DrillStep[] {
  const byPosition = new Map<number, DrillStep>();
  for (const row of rows) {
    const seen = byPosition.get(row.position);
    if (!seen || seen.attempt < row.attempt) byPosition.set(row.position, row);
  }
  return [...byPosition.values()].sort((a, b) => a.position - b.position);
}

export async function findAttempt(db: Db, drillId: string, position: number, attempt: number): Promise<DrillStep | undefined> {
  const [row] = await db
    .select()
    .from(drillSteps)
    .where(and(eq(drillSteps.drillId, drillId), eq(drillSteps.position, position), eq(drillSteps.attempt, attempt)))
    .limit(1);
  return row;
}

/**
 * The plan for a runbook: the stored one, else the built-in one for a seed runbook (stored on
 * first use so the validator sees and can change it), else an empty plan.
 */
export async function planFor(db: Db, slug: string): Promise<{ plan: DrillPlan; origin: string; version: number }> {
  const [row] = await db.select().from(drillPlans).where(eq(drillPlans.runbookSlug, slug)).limit(1);
  if (row) return { plan: drillPlanSchema.parse(row.plan), origin: row.origin, version: row.version };
  // Reading writes nothing: a built-in plan is stored the first time someone saves a change to it,
  // and every drill keeps the plan it used with its own record.
  const builtin = BUILTIN_PLANS[slug];
  return builtin ? { plan: builtin, origin: "built-in", version: 0 } : { plan: EMPTY_PLAN, origin: "none", version: 0 };
}
