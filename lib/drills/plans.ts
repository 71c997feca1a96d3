import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { drillPlans } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import type { ParsedRunbook } from "@/lib/runbooks/parse";
import { fromStored } from "@/lib/runbooks/parse/stored";
import { findRevision, findRunbookBySlug } from "@/lib/runbooks/store";
import { parseInput } from "@/lib/validation";
import { drillPlanSchema, type DrillPlan } from "./plan";
import { planLines } from "./queries";
import { planSaveSchema } from "./schemas";
import { planFor } from "./store";

/** The plan the next drill of this runbook will use (stored, built-in or empty). */
export async function getDrillPlan(ctx: Ctx, slug: string): Promise<{ plan: DrillPlan; origin: string }> {
  requirePermission(ctx.actor, "drills.read");
  const { plan, origin } = await planFor(ctx.db, slug);
  return { plan, origin };
}

export type EditablePlan = {
  runbook: { slug: string; title: string };
  plan: DrillPlan;
  origin: string;
  /** 0 while nothing is stored (the built-in or empty plan); saving must name the version it edited. */
  version: number;
  /** The current revision's steps, which `steps` in the plan refers to by id. */
  steps: { id: string; ordinal: number; title: string; commands: number }[];
  /** What the stored plan does, in words (as the drill pages show it). */
  lines: ReturnType<typeof planLines>;
};

async function currentSteps(db: Db, slug: string) {
  const runbook = await findRunbookBySlug(db, slug);
  const revision = runbook?.currentRevisionId ? await findRevision(db, runbook.currentRevisionId) : null;
  if (!runbook || !revision) throw new NotFoundError("That runbook does not exist or has no text yet.");
  const steps = fromStored(revision.parsed).steps.map((s) => ({ id: s.id, ordinal: s.ordinal, title: s.title, commands: s.commands.length }));
  return { runbook: { slug: runbook.slug, title: runbook.title }, steps };
}

/** What the plan editor shows (admins). */
export async function getDrillPlanForEdit(ctx: Ctx, slug: string): Promise<EditablePlan> {
  requirePermission(ctx.actor, "drills.configure");
  const { runbook, steps } = await currentSteps(ctx.db, slug);
  const stored = await planFor(ctx.db, slug);
  return { runbook, steps, ...stored, lines: planLines(stored.plan) };
}

const issues = (error: { issues: { path: PropertyKey[]; message: string }[] }) => error.issues.map((i) => `${i.path.map(String).join(".") || "plan"}: ${i.message}`);

/**
 * Replaces a runbook's drill plan (admins). The plan is checked as a whole before it is stored:
 * its shape, that every step it names is a step of the current revision, and that nobody saved
 * another version meanwhile (when the caller says which version it edited).
 */
export async function saveDrillPlan(ctx: Ctx, input: unknown): Promise<DrillPlan> {
  requirePermission(ctx.actor, "drills.configure");
  const { runbookSlug, plan: raw, version } = parseInput(planSaveSchema, input);
  const parsed = drillPlanSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`The drill plan is not valid: ${issues(parsed.error).join("; ")}`, { plan: issues(parsed.error) });
  const plan = parsed.data;
  const { steps } = await currentSteps(ctx.db, runbookSlug);
  const known = new Set(steps.map((s) => s.id));
  const unknown = Object.keys(plan.steps).filter((id) => !known.has(id));
  if (unknown.length) {
    const message = `The plan names steps this runbook does not have: ${unknown.join(", ")}. Its steps are: ${steps.map((s) => s.id).join(", ") || "none"}.`;
    throw new ValidationError(message, { plan: [message] });
  }
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(drillPlans).where(eq(drillPlans.runbookSlug, runbookSlug)).for("update").limit(1);
    if (version !== undefined && (before?.version ?? 0) !== version) {
      throw new ConflictError(`Someone saved this drill plan meanwhile (now version ${before?.version ?? 0}, by ${before?.updatedBy ?? "someone"}). Reload it and apply your change again.`);
    }
    if (before) await tx.update(drillPlans).set({ plan, origin: "custom", version: before.version + 1, updatedAt: new Date(), updatedBy: ctx.actor.email }).where(eq(drillPlans.id, before.id));
    else {
      // Two first saves at once: the second finds the row the first inserted.
      const [inserted] = await tx.insert(drillPlans).values({ runbookSlug, plan, origin: "custom", updatedBy: ctx.actor.email }).onConflictDoNothing().returning({ id: drillPlans.id });
      if (!inserted) throw new ConflictError("Someone saved this drill plan meanwhile. Reload it and apply your change again.");
    }
    await writeAudit(tx, { actor: ctx.actor, action: "drill.plan.save", targetType: "drill_plan", targetId: runbookSlug, before: before?.plan ?? null, after: plan });
  });
  return plan;
}
