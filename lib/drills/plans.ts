import "server-only";
import { eq } from "drizzle-orm";
import { drillPlans } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { drillPlanSchema, type DrillPlan } from "./plan";
import { planSaveSchema } from "./schemas";
import { planFor } from "./store";

/** The plan the next drill of this runbook will use (stored, built-in or empty). */
export async function getDrillPlan(ctx: Ctx, slug: string): Promise<{ plan: DrillPlan; origin: string }> {
  requirePermission(ctx.actor, "drills.read");
  return planFor(ctx.db, ctx.actor, slug);
}

/** Replaces a runbook's drill plan (admins): the plan is checked as a whole before it is stored. */
export async function saveDrillPlan(ctx: Ctx, input: unknown): Promise<DrillPlan> {
  requirePermission(ctx.actor, "drills.configure");
  const { runbookSlug, plan: raw } = parseInput(planSaveSchema, input);
  const parsed = drillPlanSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`The drill plan is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, { plan: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
  const plan = parsed.data;
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(drillPlans).where(eq(drillPlans.runbookSlug, runbookSlug)).limit(1);
    if (before) await tx.update(drillPlans).set({ plan, origin: "custom", version: before.version + 1, updatedAt: new Date(), updatedBy: ctx.actor.email }).where(eq(drillPlans.id, before.id));
    else await tx.insert(drillPlans).values({ runbookSlug, plan, origin: "custom", updatedBy: ctx.actor.email });
    await writeAudit(tx, { actor: ctx.actor, action: "drill.plan.save", targetType: "drill_plan", targetId: runbookSlug, before: before?.plan ?? null, after: plan });
  });
  return plan;
}
