import "server-only";
import type { Environment } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { ConflictError, ValidationError } from "@/lib/errors";
import type { DrillPlan, DrillResource } from "./plan";
import { runHostCommand, type ItemContext } from "./run-item";

// Before a drill starts, every resource its plan declares is looked for on the environment: one
// that is already there is a leftover of an earlier drill (or of something else), and the drill
// would fail halfway on it ("database app_preview_1 already exists"). The person starting the
// drill sees the list and may have them removed first — confirmed, and audited.

export type Leftovers = { present: DrillResource[]; unchecked: Array<{ name: string; reason: string }> };

type Where = { runbook: { id: string; slug: string; revisionId: string }; environment: Environment; plan: DrillPlan };

function hostContext(ctx: Ctx, where: Where): ItemContext {
  return {
    ctx,
    drill: { id: "preflight", runbookId: where.runbook.id, runbookSlug: where.runbook.slug, revisionId: where.runbook.revisionId, inputs: {} },
    parsed: { steps: [], placeholders: [] } as unknown as ItemContext["parsed"],
    environment: where.environment,
    variables: { values: {}, createdRuns: [] },
    resources: where.plan.resources,
  };
}

/** Which declared resources exist now. A check that cannot run leaves its resources unchecked (the drill's own step reports the cause). */
export async function findLeftovers(ctx: Ctx, where: Where): Promise<Leftovers> {
  const present: DrillResource[] = [];
  const unchecked: Leftovers["unchecked"] = [];
  const byCheck = new Map<string, DrillResource[]>();
  for (const r of where.plan.resources) byCheck.set(r.exists.text, [...(byCheck.get(r.exists.text) ?? []), r]);
  for (const [text, resources] of byCheck) {
    const result = await runHostCommand(hostContext(ctx, where), { id: "drill-preflight", title: "Look for leftovers of an earlier drill", text });
    if (result.outcome !== "passed") {
      for (const r of resources) unchecked.push({ name: r.name, reason: result.reason ?? "the check failed" });
      continue;
    }
    for (const r of resources) if (new RegExp(r.exists.present, "m").test(result.output)) present.push(r);
  }
  return { present, unchecked };
}

export function leftoversMessage(present: DrillResource[]): string {
  return `Left over from an earlier drill: ${present.map((r) => `${r.name} (${r.kind})`).join(", ")}. This drill would create them again and fail halfway; remove them first.`;
}

/** Refuses to start over leftovers unless the person confirmed their removal; then removes them (audited). */
export async function clearLeftovers(ctx: Ctx, where: Where, confirmed: boolean): Promise<void> {
  if (!where.plan.resources.length) return;
  const { present } = await findLeftovers(ctx, where);
  if (!present.length) return;
  if (!confirmed) throw new ValidationError(leftoversMessage(present), { leftovers: present.map((r) => `${r.name}: ${r.description || r.kind} — removed with: ${r.remove}`) });
  const outcomes: Array<{ name: string; outcome: string; reason: string | null; executionId: string | null }> = [];
  for (const r of present) {
    const result = await runHostCommand(hostContext(ctx, where), { id: "drill-leftovers", title: `Remove leftover ${r.name}`, text: r.remove, removes: [{ kind: r.kind, name: r.name }] });
    outcomes.push({ name: r.name, outcome: result.outcome, reason: result.reason, executionId: result.executionId ?? null });
  }
  await ctx.db.transaction(async (tx) => {
    await writeAudit(tx, { actor: ctx.actor, action: "drill.leftovers.remove", targetType: "runbook", targetId: where.runbook.id, after: { environment: where.environment.name, removed: outcomes } });
  });
  const still = (await findLeftovers(ctx, where)).present;
  if (still.length) throw new ConflictError(`Could not remove every leftover: ${still.map((r) => r.name).join(", ")} still exist${still.length === 1 ? "s" : ""}. ${outcomes.find((o) => o.reason)?.reason ?? ""}`.trim());
}
