import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookRevisions, runbooks, runbookValidations, type RunbookValidation } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { NotFoundError } from "@/lib/errors";
import { publish } from "@/lib/live";
import { parseInput } from "@/lib/validation";
import { validationRowSchema } from "./schemas";
import { RUNBOOKS_CHANNEL } from "./store";

/**
 * Appends one Validation Log row (a drill's sign-off) inside the caller's transaction. The caller
 * has already checked its own permission (e.g. the drill sign-off's). A pass or pass-with-notes
 * marks the runbook validated on that revision; a fail is logged and changes no status.
 */
export async function recordValidation(tx: Db, actor: Actor, input: unknown): Promise<RunbookValidation> {
  const data = parseInput(validationRowSchema, input);
  const [revision] = await tx
    .select({ id: runbookRevisions.id })
    .from(runbookRevisions)
    .where(and(eq(runbookRevisions.id, data.revisionId), eq(runbookRevisions.runbookId, data.runbookId)))
    .limit(1);
  if (!revision) throw new NotFoundError("That runbook revision does not exist.");
  const [row] = await tx
    .insert(runbookValidations)
    .values({ ...data, reportUrl: data.reportUrl ?? null, signedBy: actor.userId === "system" ? null : actor.userId })
    .returning();
  if (data.result !== "fail") {
    const signedAt = row.signedAt;
    const [before] = await tx.select().from(runbooks).where(eq(runbooks.id, data.runbookId)).limit(1);
    await tx
      .update(runbooks)
      .set({ status: "validated", lastValidatedAt: signedAt, lastValidatedRevisionId: data.revisionId, version: before.version + 1, updatedAt: signedAt })
      .where(eq(runbooks.id, data.runbookId));
  }
  await writeAudit(tx, {
    actor,
    action: "runbook.validation.record",
    targetType: "runbook",
    targetId: data.runbookId,
    after: { validationId: row.id, revisionId: row.revisionId, date: row.date, validator: row.validator, environment: row.environment, result: row.result, notes: row.notes },
  });
  await publish(tx, RUNBOOKS_CHANNEL, { type: "runbook.validated", id: data.runbookId, result: row.result });
  return row;
}
