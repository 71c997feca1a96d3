import "server-only";
import { checkFreeze, classifyStep, stepTarget } from "@/lib/freeze";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { agents, stepExecutions, type StepExecution } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { requireProductionConfirmation } from "@/lib/environments/production";
import { listSurfaces, requireEnvironment } from "@/lib/environments/queries";
import { publish } from "@/lib/live";
import type { ParsedRunbook, Step } from "@/lib/runbooks/parse";
import { fromStored } from "@/lib/runbooks/parse/stored";
import { findRevision, findRunbookBySlug } from "@/lib/runbooks/store";
import { parseInput } from "@/lib/validation";
import { incidentForRun, recordRunStarted } from "./incident-link";
import { EXECUTIONS_CHANNEL } from "./output";
import { launch, segmentsOf } from "./runner";
import { ensureBeating } from "./runners";
import { startExecutionSchema } from "./schemas";

const globalForRunner = globalThis as unknown as { __sitrepRunnerId?: string };
/** Identifies this console process on the executions it runs. */
export const RUNNER_ID = (globalForRunner.__sitrepRunnerId ??= crypto.randomUUID());

export type StepSource = { runbookId: string | null; runbookSlug: string; revisionId: string | null; step: Step };

/** The step as stored with the runbook's current (or a given) revision. */
export async function loadStep(db: Db, slug: string, stepId: string, revisionId?: string): Promise<StepSource> {
  const runbook = await findRunbookBySlug(db, slug);
  if (!runbook) throw new NotFoundError("That runbook does not exist.");
  const revision = await findRevision(db, revisionId ?? runbook.currentRevisionId);
  if (!revision || revision.runbookId !== runbook.id) throw new NotFoundError("That revision of the runbook does not exist.");
  const step = fromStored(revision.parsed).steps.find((s) => s.id === stepId);
  if (!step) throw new NotFoundError("That step is not in this revision of the runbook.");
  return { runbookId: runbook.id, runbookSlug: runbook.slug, revisionId: revision.id, step };
}

/** Checks every input the step needs against its placeholder's pattern; returns the values by input name. */
export function checkInputs(step: Step, given: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  const fieldErrors: Record<string, string[]> = {};
  for (const p of step.placeholders) {
    const value = (given[p.name] ?? "").trim();
    if (!value) {
      fieldErrors[p.name] = [`Enter ${p.description.toLowerCase() || p.name}.`];
      continue;
    }
    if (!new RegExp(p.pattern).test(value)) {
      fieldErrors[p.name] = [`"${value}" is not a valid ${p.name} (expected ${p.pattern}).`];
      continue;
    }
    values[p.name] = value;
  }
  if (Object.keys(fieldErrors).length) throw new ValidationError("Some inputs need attention.", fieldErrors);
  return values;
}

/**
 * Starts one run of a step against an environment: checks role, input, production confirmation
 * and the host agent, stores the execution (audited), then runs it in the background of this
 * process. The returned row is `running`; output and the final state arrive live.
 */
export async function startExecution(ctx: Ctx, input: unknown): Promise<StepExecution> {
  requirePermission(ctx.actor, "steps.run");
  const data = parseInput(startExecutionSchema, input);
  const source = await loadStep(ctx.db, data.runbookSlug, data.stepId, data.revisionId);
  return startStepExecution(ctx, { ...source, environmentId: data.environmentId, agentId: data.agentId, inputs: data.inputs, confirmProduction: data.confirmProduction, approvalId: data.approvalId, incidentId: data.incidentId });
}

/** Same as startExecution for a step already in hand (drills, tests). */
export async function startStepExecution(
  ctx: Ctx,
  args: StepSource & { environmentId: string; agentId?: string; inputs: Record<string, string>; confirmProduction?: boolean; approvalId?: string; incidentId?: string; removes?: Array<{ kind: string; name: string }> },
): Promise<StepExecution> {
  requirePermission(ctx.actor, "steps.run");
  const { step } = args;
  if (step.commands.length === 0) throw new ValidationError("This step is a manual check: confirm it by hand, there is nothing to run.");
  if (step.runnable === false) throw new ValidationError("A command of this step cannot run as written: it could not be read as shell, it opens an interactive session, or the text says to run it on another machine (see the runbook's warnings). Fix the runbook to run it, or run it in a terminal.");
  const environment = await requireEnvironment(ctx.db, args.environmentId);
  requireProductionConfirmation(environment, args.confirmProduction);
  const inputs = checkInputs(step, args.inputs);
  const incident = args.incidentId ? await incidentForRun(ctx.db, args.incidentId) : null;
  // A freeze during an incident stops careful and destructive steps unless this one was approved.
  // Judged on what will run: the agent's argv with these inputs, the HTTP calls' methods and paths.
  const riskClass = classifyStep(step, environment.production, inputs);
  await checkFreeze(ctx, { environmentId: environment.id, riskClass, action: `step.${riskClass}`, target: stepTarget(args.runbookSlug, step.id, args.revisionId), approvalId: args.approvalId, executionId: null });
  const needsAgent = segmentsOf(step).some((s) => s.kind === "shell");
  let agent = null;
  if (needsAgent) {
    const candidates = await ctx.db
      .select()
      .from(agents)
      .where(args.agentId ? and(eq(agents.environmentId, environment.id), eq(agents.id, args.agentId)) : eq(agents.environmentId, environment.id));
    agent = candidates[0] ?? null;
    if (!agent) {
      throw new ValidationError(
        args.agentId ? "That host agent does not belong to this environment." : `This step runs shell commands and "${environment.name}" has no host agent.`,
        { agentId: ["Pick a host agent of this environment."] },
      );
    }
  }
  const surfaces = await listSurfaces(ctx.db, environment.id);
  const planned = segmentsOf(step).map((s) =>
    s.kind === "http"
      ? { kind: "http", ordinal: s.command.ordinal, api: s.command.http!.api, method: s.command.http!.method, path: s.command.http!.path }
      : { kind: "shell", ordinals: s.commands.map((c) => c.ordinal), text: s.commands.map((c) => c.source).join("\n") },
  );
  const kind = step.commands.every((c) => c.kind === "http" && c.http) ? "http" : needsAgent && step.commands.some((c) => c.kind === "http" && c.http) ? "mixed" : "shell";
  await ensureBeating(ctx.db, RUNNER_ID);
  const execution = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(stepExecutions)
      .values({
        runbookId: args.runbookId,
        runbookSlug: args.runbookSlug,
        revisionId: args.revisionId,
        stepId: step.id,
        stepTitle: step.title,
        kind,
        source: step.source,
        ran: planned,
        environmentId: environment.id,
        environmentName: environment.name,
        agentId: agent?.id ?? null,
        host: agent ? `${agent.name} (${agent.url})` : null,
        inputs,
        startedBy: ctx.actor.userId,
        startedByEmail: ctx.actor.email,
        runnerId: RUNNER_ID,
        incidentId: incident?.id ?? null,
      })
      .returning();
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "step.execution.start",
      targetType: "step_execution",
      targetId: row.id,
      after: { runbook: args.runbookSlug, revisionId: args.revisionId, step: step.id, environment: environment.name, production: environment.production, agent: agent?.name ?? null, inputs, incidentId: incident?.id ?? null },
    });
    if (incident) {
      await recordRunStarted(tx, ctx.actor, incident.id, { executionId: row.id, runbookSlug: args.runbookSlug, stepId: step.id, stepTitle: step.title, environmentName: environment.name, host: row.host });
    }
    await publish(tx, EXECUTIONS_CHANNEL, { type: "execution.started", id: row.id, runbook: args.runbookSlug, step: step.id });
    return row;
  });
  launch(ctx.db, { executionId: execution.id, actor: ctx.actor, step, environment, surfaces, agent, inputs, incidentId: incident?.id ?? null, removes: args.removes });
  return execution;
}
