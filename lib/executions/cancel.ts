import "server-only";
import { eq } from "drizzle-orm";
import { stepExecutions } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { cancelRunning } from "./runner";
import { cancelExecutionSchema } from "./schemas";

/** Asks the process running the step to stop it; the runner records the `cancelled` state. */
export async function cancelExecution(ctx: Ctx, input: unknown): Promise<{ id: string }> {
  requirePermission(ctx.actor, "steps.run");
  const { id } = parseInput(cancelExecutionSchema, input);
  const [row] = await ctx.db.select().from(stepExecutions).where(eq(stepExecutions.id, id));
  if (!row) throw new NotFoundError("That execution does not exist.");
  if (row.state !== "running") throw new ConflictError(`This execution has already ended (${row.state}).`);
  const found = await cancelRunning(id);
  if (!found) throw new ConflictError("This execution runs in another console process; cancel it there or wait for it to end.");
  await ctx.db.transaction(async (tx) => {
    await writeAudit(tx, { actor: ctx.actor, action: "step.execution.cancel", targetType: "step_execution", targetId: id });
  });
  return { id };
}
