import "server-only";
import { z } from "zod";
import { and, asc, desc, eq, gte, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { freezeApprovals, freezes, incidents, timelineEvents, type Freeze, type FreezeApproval } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { requireEnvironment } from "@/lib/environments/queries";
import { ACTIVE_STATUSES } from "@/lib/incidents/state-machine";
import { readIncident, recordChange } from "@/lib/incidents/record";
import { publish } from "@/lib/live";
import { parseInput } from "@/lib/validation";
import type { RiskClass } from "./risk";

export const FREEZE_CHANNEL = "freezes";

const uuid = z.string().uuid();
export const freezeSchema = z.object({ incidentId: uuid, environmentId: uuid });
export const liftSchema = z.object({ freezeId: uuid });
export const approveSchema = z.object({
  freezeId: uuid,
  action: z.string().trim().min(1).max(120),
  // A step is "<runbook>#<step>@<revision>" (stepTarget), a DLQ replay the job id: exactly what runs.
  target: z.string().trim().min(1, "Say which step or job this approval is for.").max(300),
  reason: z.string().trim().min(3, "Say why this one execution may run.").max(2000),
});

export async function activeFreeze(db: Db, environmentId: string): Promise<Freeze | undefined> {
  const [row] = await db.select().from(freezes).where(and(eq(freezes.environmentId, environmentId), isNull(freezes.liftedAt))).orderBy(desc(freezes.frozenAt)).limit(1);
  return row;
}

export async function freezesForIncident(db: Db, incidentId: string): Promise<(Freeze & { approvals: FreezeApproval[] })[]> {
  const rows = await db.select().from(freezes).where(eq(freezes.incidentId, incidentId)).orderBy(desc(freezes.frozenAt));
  return Promise.all(rows.map(async (f) => ({ ...f, approvals: await db.select().from(freezeApprovals).where(eq(freezeApprovals.freezeId, f.id)).orderBy(desc(freezeApprovals.approvedAt)) })));
}

export type RefusedRequest = { action: string; target: string; by: string; at: Date };

/**
 * What was refused during a freeze and has no approval waiting yet, newest first: the commander
 * approves exactly that (action, target) in one click.
 */
export async function refusedDuringFreeze(db: Db, freeze: Freeze & { approvals: FreezeApproval[] }): Promise<RefusedRequest[]> {
  const events = await db
    .select({ payload: timelineEvents.payload, at: timelineEvents.occurredAt })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, freeze.incidentId), eq(timelineEvents.kind, "freeze.refused"), gte(timelineEvents.occurredAt, freeze.frozenAt)))
    .orderBy(desc(timelineEvents.occurredAt))
    .limit(50);
  const waiting = new Set(freeze.approvals.filter((a) => !a.usedAt).map((a) => `${a.action} ${a.target}`));
  const seen = new Set<string>();
  const out: RefusedRequest[] = [];
  for (const e of events) {
    const p = e.payload as { action?: string; target?: string; by?: string };
    if (!p.action || !p.target) continue;
    const key = `${p.action} ${p.target}`;
    if (seen.has(key) || waiting.has(key)) continue;
    seen.add(key);
    out.push({ action: p.action, target: p.target, by: p.by ?? "", at: e.at });
  }
  return out;
}

/** The commander freezes careful and destructive actions on the incident's environment. */
export async function freezeEnvironment(ctx: Ctx, input: unknown): Promise<Freeze> {
  requirePermission(ctx.actor, "freeze.manage");
  const { incidentId, environmentId } = parseInput(freezeSchema, input);
  const environment = await requireEnvironment(ctx.db, environmentId);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncident(tx, incidentId);
    if (!ACTIVE_STATUSES.includes(incident.status)) throw new ValidationError("Only an active incident can freeze actions.", { incidentId: ["The incident is not active."] });
    const existing = await activeFreeze(tx, environmentId);
    if (existing) throw new ConflictError(`${environment.name} is already frozen.`, existing);
    const [row] = await tx.insert(freezes).values({ incidentId, environmentId, frozenBy: ctx.actor.email }).returning();
    await recordChange(
      tx,
      ctx.actor,
      { action: "freeze.on", targetType: "environment", targetId: environmentId, after: { freezeId: row.id, incidentId } },
      { incidentId, kind: "freeze.on", body: `Careful and destructive actions frozen on ${environment.name}`, payload: { freezeId: row.id, environmentId, environmentName: environment.name } },
    );
    await publish(tx, FREEZE_CHANNEL, { type: "freeze.on", id: row.id, environmentId });
    return row;
  });
}

export async function liftFreeze(ctx: Ctx, input: unknown): Promise<Freeze> {
  requirePermission(ctx.actor, "freeze.manage");
  const { freezeId } = parseInput(liftSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(freezes).set({ liftedAt: new Date(), liftedBy: ctx.actor.email }).where(and(eq(freezes.id, freezeId), isNull(freezes.liftedAt))).returning();
    if (!row) throw new NotFoundError("No such freeze is in force.");
    await recordChange(
      tx,
      ctx.actor,
      { action: "freeze.off", targetType: "environment", targetId: row.environmentId, before: { freezeId }, after: null },
      { incidentId: row.incidentId, kind: "freeze.off", body: "Freeze lifted", payload: { freezeId, environmentId: row.environmentId } },
    );
    await publish(tx, FREEZE_CHANNEL, { type: "freeze.off", id: row.id, environmentId: row.environmentId });
    return row;
  });
}

/** The commander approves exactly one careful or destructive execution during a freeze. */
export async function approveExecution(ctx: Ctx, input: unknown): Promise<FreezeApproval> {
  requirePermission(ctx.actor, "freeze.manage");
  const data = parseInput(approveSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [freeze] = await tx.select().from(freezes).where(and(eq(freezes.id, data.freezeId), isNull(freezes.liftedAt)));
    if (!freeze) throw new NotFoundError("No such freeze is in force.");
    const [incident] = await tx.select().from(incidents).where(eq(incidents.id, freeze.incidentId));
    if (ctx.actor.role !== "admin" && incident?.commanderId !== ctx.actor.userId) throw new ForbiddenError("Only the incident's commander (or an admin) approves executions during a freeze.", "freeze.manage");
    const [row] = await tx.insert(freezeApprovals).values({ freezeId: freeze.id, action: data.action, target: data.target, reason: data.reason, approvedBy: ctx.actor.email }).returning();
    await recordChange(
      tx,
      ctx.actor,
      { action: "freeze.approve", targetType: "freeze_approval", targetId: row.id, after: { freezeId: freeze.id, action: data.action, target: data.target, reason: data.reason } },
      { incidentId: freeze.incidentId, kind: "freeze.approved", body: `Approved one ${data.action}${data.target ? ` (${data.target})` : ""}: ${data.reason}`, payload: { approvalId: row.id, freezeId: freeze.id, action: data.action, target: data.target, reason: data.reason } },
    );
    return row;
  });
}

export type FreezeCheck = { environmentId: string; riskClass: RiskClass; action: string; target: string; approvalId?: string | null; executionId?: string | null };

/** What an approval for a runbook step names: the runbook, the step and the revision it was read from. */
export function stepTarget(runbookSlug: string, stepId: string, revisionId: string | null): string {
  return `${runbookSlug}#${stepId}@${revisionId ?? "unsaved"}`;
}

/**
 * Asked by every careful or destructive execution before it runs. With no freeze (or a safe
 * action) it allows. During a freeze it allows only with an unused approval of this freeze (so this
 * environment) for exactly this action and target (a step of one runbook revision, a DLQ job),
 * which it consumes: the one named by `approvalId`, or else the oldest matching one. Otherwise it
 * records the refusal (timeline + audit) and throws ForbiddenError.
 */
export async function checkFreeze(ctx: Ctx, check: FreezeCheck): Promise<{ allowed: true; approvalId: string | null }> {
  if (check.riskClass === "safe") return { allowed: true, approvalId: null };
  const freeze = await activeFreeze(ctx.db, check.environmentId);
  if (!freeze) return { allowed: true, approvalId: null };
  let refusal: string;
  {
    const matching = and(
      eq(freezeApprovals.freezeId, freeze.id),
      eq(freezeApprovals.action, check.action),
      eq(freezeApprovals.target, check.target),
      isNull(freezeApprovals.usedAt),
      check.approvalId ? eq(freezeApprovals.id, check.approvalId) : undefined,
    );
    const used = await ctx.db.transaction(async (tx) => {
      const candidate = tx.select({ id: freezeApprovals.id }).from(freezeApprovals).where(matching).orderBy(asc(freezeApprovals.approvedAt)).limit(1);
      // The outer condition again: of two runs racing for one approval, one gets it.
      const [row] = await tx
        .update(freezeApprovals)
        .set({ usedAt: new Date(), usedBy: ctx.actor.email, executionId: check.executionId ?? null })
        .where(and(inArray(freezeApprovals.id, candidate), isNull(freezeApprovals.usedAt)))
        .returning();
      if (!row) return null;
      await recordChange(
        tx,
        ctx.actor,
        { action: "freeze.approval.use", targetType: "freeze_approval", targetId: row.id, after: { action: check.action, target: check.target ?? "", riskClass: check.riskClass } },
        { incidentId: freeze.incidentId, kind: "freeze.approval_used", body: `${check.action}${check.target ? ` (${check.target})` : ""} ran under approval`, payload: { approvalId: row.id, action: check.action, target: check.target ?? "", by: ctx.actor.email } },
      );
      return row;
    });
    if (used) return { allowed: true, approvalId: used.id };
    refusal = check.approvalId
      ? "that approval is already used, or was given for another step, revision, environment or action"
      : "it needs the commander's approval for this one execution";
  }
  await ctx.db.transaction(async (tx) => {
    await recordChange(
      tx,
      ctx.actor,
      { action: "freeze.refuse", targetType: "environment", targetId: check.environmentId, after: { action: check.action, target: check.target ?? "", riskClass: check.riskClass, approvalId: check.approvalId ?? null } },
      { incidentId: freeze.incidentId, kind: "freeze.refused", body: `Refused ${check.action}${check.target ? ` (${check.target})` : ""} for ${ctx.actor.name}: ${refusal}`, payload: { action: check.action, target: check.target ?? "", riskClass: check.riskClass, by: ctx.actor.email, approvalId: check.approvalId ?? null } },
    );
  });
  throw new ForbiddenError(`Actions that are ${check.riskClass} are frozen on this environment during the incident; ${refusal}.`, "freeze");
}
