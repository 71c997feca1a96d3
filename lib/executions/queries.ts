import "server-only";
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, stepExecutions, type StepExecution } from "@/db/schema";
import { formatNumber } from "@/lib/incidents/state-machine";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { chunksAfter } from "./output";
import type { Capture } from "./runner";

export type ExecutionView = Omit<StepExecution, "runnerId"> & { /** INC-n of the incident it was run for. */ incidentRef?: string | null };

function view({ runnerId: _r, ...rest }: StepExecution): ExecutionView {
  return rest;
}

export async function getExecution(ctx: Ctx, id: string): Promise<ExecutionView> {
  requirePermission(ctx.actor, "runbooks.read");
  const [row] = await ctx.db
    .select({ execution: stepExecutions, incidentNumber: incidents.number })
    .from(stepExecutions)
    .leftJoin(incidents, eq(incidents.id, stepExecutions.incidentId))
    .where(eq(stepExecutions.id, id))
    .limit(1);
  if (!row) throw new NotFoundError("That execution does not exist.");
  return { ...view(row.execution), incidentRef: row.incidentNumber === null ? null : formatNumber(row.incidentNumber) };
}

export async function getExecutionWithOutput(ctx: Ctx, id: string, afterSeq = 0) {
  const execution = await getExecution(ctx, id);
  return { execution, chunks: await chunksAfter(ctx.db, id, afterSeq) };
}

/** Recent executions of a runbook's steps, newest first. */
export async function listExecutions(ctx: Ctx, runbookSlug: string, limit = 50): Promise<ExecutionView[]> {
  requirePermission(ctx.actor, "runbooks.read");
  const rows = await ctx.db.select().from(stepExecutions).where(eq(stepExecutions.runbookSlug, runbookSlug)).orderBy(desc(stepExecutions.startedAt)).limit(limit);
  return rows.map(view);
}

/** Values captured by earlier steps of this runbook (newest wins), offered as input defaults. */
export async function latestCaptures(db: Db, runbookSlug: string): Promise<Record<string, string>> {
  const rows = await db
    .select({ captures: stepExecutions.captures })
    .from(stepExecutions)
    .where(and(eq(stepExecutions.runbookSlug, runbookSlug), ne(stepExecutions.state, "running"), sql`jsonb_array_length(${stepExecutions.captures}) > 0`))
    .orderBy(desc(stepExecutions.startedAt))
    .limit(20);
  const values: Record<string, string> = {};
  for (const row of rows) for (const c of row.captures as Capture[]) values[c.input] ??= c.value;
  return values;
}
