import "server-only";
import { asc, desc, eq } from "drizzle-orm";
import { drillSignoffs, drills, environments, type Drill, type DrillSignoff, type DrillStep } from "@/db/schema";
import { NotFoundError } from "@/lib/errors";
import type { ParsedRunbook } from "@/lib/runbooks/parse";
import { fromStored } from "@/lib/runbooks/parse/stored";
import { findRevision, findRunbookBySlug } from "@/lib/runbooks/store";
import { requiredInputs } from "./engine";
import { buildItems, unknownPlanSteps } from "./items";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { drillPlanSchema, describeAction, type DrillPlan } from "./plan";
import { drillRows, findDrill, latestAttempts, planFor, variablesOf } from "./store";
import { getDrillSettings } from "./signoff";

export type DrillTotals = { items: number; passed: number; failed: number; skipped: number; pending: number; running: number; waiting: number; retries: number; durationMs: number };

export type DrillReport = {
  drill: Omit<Drill, "runnerId" | "variables"> & { variables: Record<string, string>; createdRuns: string[] };
  plan: DrillPlan;
  planLines: { setup: string[]; cleanup: string[]; steps: Array<{ stepId: string; lines: string[] }> };
  /** Latest attempt per item, in order, with the earlier attempts of that item. */
  items: Array<DrillStep & { earlier: DrillStep[] }>;
  totals: DrillTotals;
  /** Skipped items (steps and checks), who decided it, and why — each reason once. */
  skips: Array<{ title: string; by: string; reason: string }>;
  signoff: DrillSignoff | null;
  requireIndependentSigner: boolean;
};

export function totalsOf(rows: DrillStep[]): DrillTotals {
  const latest = latestAttempts(rows);
  const count = (o: DrillStep["outcome"]) => latest.filter((r) => r.outcome === o).length;
  return {
    items: latest.length,
    passed: count("passed"),
    failed: count("failed"),
    skipped: count("skipped"),
    pending: count("pending"),
    running: count("running"),
    waiting: count("waiting"),
    retries: rows.length - latest.length,
    durationMs: rows.reduce((sum, r) => sum + (r.durationMs ?? 0), 0),
  };
}

export function planLines(plan: DrillPlan): DrillReport["planLines"] {
  return {
    setup: plan.setup.map(describeAction),
    cleanup: plan.cleanup.map(describeAction),
    steps: Object.entries(plan.steps).map(([stepId, sp]) => ({
      stepId,
      lines: [
        ...(sp.note ? [sp.note] : []),
        ...(sp.skip ? [`Skipped: ${sp.skip}`] : []),
        ...sp.setup.map((a) => `Before: ${describeAction(a)}`),
        ...(sp.parts ?? []).map((p, i) => `Part ${i + 1}: command${p.commands.length > 1 ? "s" : ""} ${p.commands.join(", ")}${Object.keys(p.bind).length ? ` with ${Object.entries(p.bind).map(([k, v]) => `${k} = ${v}`).join(", ")}` : ""}${p.attempt ? ` (attempt ${p.attempt})` : ""}${p.capture.length ? `; captures ${p.capture.map((c) => c.variable).join(", ")}` : ""}`),
        ...Object.entries(sp.bind).map(([k, v]) => `${k} = ${v}`),
        ...Object.entries(sp.literal).flatMap(([ordinal, binds]) => Object.entries(binds).map(([k, v]) => `In command ${ordinal}: ${k} = ${v}`)),
        ...sp.cleanup.map((a) => `After: ${describeAction(a)}`),
      ],
    })),
  };
}

export async function getDrillReport(ctx: Ctx, id: string): Promise<DrillReport> {
  requirePermission(ctx.actor, "drills.read");
  const drill = await findDrill(ctx.db, id);
  const rows = await drillRows(ctx.db, id);
  const latest = latestAttempts(rows);
  const [signoff] = await ctx.db.select().from(drillSignoffs).where(eq(drillSignoffs.drillId, id)).limit(1);
  const plan = drillPlanSchema.parse(drill.plan);
  const { runnerId: _runner, variables, ...rest } = drill;
  const v = variablesOf({ variables });
  return {
    drill: { ...rest, variables: v.values, createdRuns: v.createdRuns },
    plan,
    planLines: planLines(plan),
    items: latest.map((r) => ({ ...r, earlier: rows.filter((e) => e.position === r.position && e.attempt < r.attempt) })),
    totals: totalsOf(rows),
    skips: latest.filter((r) => r.outcome === "skipped" && r.kind !== "cleanup" && r.kind !== "setup").map((r) => ({ title: r.title, by: r.decidedByName ?? "", reason: r.reason ?? "" })),
    signoff: signoff ?? null,
    requireIndependentSigner: (await getDrillSettings(ctx.db)).requireIndependentSigner,
  };
}

export type DrillListEntry = Pick<Drill, "id" | "runbookSlug" | "runbookTitle" | "revisionNumber" | "environmentName" | "state" | "result" | "startedAt" | "startedByName" | "finishedAt" | "trigger"> & {
  signoff: string | null;
  signedByName: string | null;
  /** Wall time from start to end (null while running). */
  durationMs: number | null;
};

export async function listDrills(ctx: Ctx, options: { runbookSlug?: string; limit?: number } = {}): Promise<DrillListEntry[]> {
  requirePermission(ctx.actor, "drills.read");
  const base = ctx.db
    .select({
      id: drills.id,
      runbookSlug: drills.runbookSlug,
      runbookTitle: drills.runbookTitle,
      revisionNumber: drills.revisionNumber,
      environmentName: drills.environmentName,
      state: drills.state,
      result: drills.result,
      startedAt: drills.startedAt,
      startedByName: drills.startedByName,
      finishedAt: drills.finishedAt,
      trigger: drills.trigger,
      signoff: drillSignoffs.result,
      signedByName: drillSignoffs.signedByName,
    })
    .from(drills)
    .leftJoin(drillSignoffs, eq(drillSignoffs.drillId, drills.id));
  const filtered = options.runbookSlug ? base.where(eq(drills.runbookSlug, options.runbookSlug)) : base;
  const rows = await filtered.orderBy(desc(drills.startedAt)).limit(options.limit ?? 100);
  return rows.map((r) => ({ ...r, durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null }));
}

export type DrillStartView = {
  runbook: { slug: string; title: string; revision: number };
  environments: Array<{ id: string; name: string; production: boolean; kind: string }>;
  inputs: Array<{ name: string; description: string; pattern: string }>;
  generated: Array<{ name: string; description: string }>;
  planOrigin: string;
  planSummary: string;
  planLines: DrillReport["planLines"];
  items: Array<{ kind: string; title: string; expectation: string; skip?: string }>;
  warnings: string[];
};

/** What the start form shows: environments, the inputs asked once, and the declared plan. */
export async function getDrillStartView(ctx: Ctx, slug: string): Promise<DrillStartView> {
  requirePermission(ctx.actor, "drills.run");
  const runbook = await findRunbookBySlug(ctx.db, slug);
  if (!runbook) throw new NotFoundError("That runbook does not exist.");
  const revision = await findRevision(ctx.db, runbook.currentRevisionId);
  if (!revision) throw new NotFoundError("This runbook has no revision yet.");
  const parsed = fromStored(revision.parsed);
  const { plan, origin } = await planFor(ctx.db, slug);
  const items = buildItems(parsed, plan);
  const envs = await ctx.db.select({ id: environments.id, name: environments.name, production: environments.production, kind: environments.kind }).from(environments).orderBy(asc(environments.name));
  const missing = unknownPlanSteps(parsed, plan);
  return {
    runbook: { slug: runbook.slug, title: runbook.title, revision: revision.number },
    environments: envs,
    inputs: requiredInputs(parsed, plan, items),
    generated: Object.entries(plan.inputs).filter(([, s]) => s.generate).map(([name, s]) => ({ name, description: s.description })),
    planOrigin: origin,
    planSummary: plan.summary,
    planLines: planLines(plan),
    items: items.map((i) => ({ kind: i.kind, title: i.title, expectation: i.expectation.summary, ...(i.skip ? { skip: i.skip } : {}) })),
    warnings: missing.length ? [`The drill plan names steps this revision does not have (${missing.join(", ")}); they are ignored.`] : [],
  };
}
