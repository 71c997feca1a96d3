import "server-only";
import { asc, eq } from "drizzle-orm";
import { runbookValidations } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { appendValidationLogRows, formatValidationResult } from "@/lib/runbooks/parse";
import { getRevision } from "./queries";
import { findRevision, findRunbookBySlug } from "./store";

export type ExportedRunbook = { fileName: string; markdown: string; revision: number; appendedRows: number };

/**
 * The markdown of a revision (the current one by default) exactly as stored, with the Validation
 * Log rows the console recorded appended to its Validation Log table.
 */
export async function exportRunbookMarkdown(ctx: Ctx, slug: string, revisionNumber?: number): Promise<ExportedRunbook> {
  requirePermission(ctx.actor, "runbooks.read");
  const runbook = await findRunbookBySlug(ctx.db, slug);
  if (!runbook || !runbook.currentRevisionId) throw new NotFoundError("That runbook has no text yet.");
  const revision = revisionNumber ? await getRevision(ctx, slug, revisionNumber) : await findRevision(ctx.db, runbook.currentRevisionId);
  if (!revision) throw new NotFoundError("That runbook has no text yet.");
  const rows = await ctx.db.select().from(runbookValidations).where(eq(runbookValidations.runbookId, runbook.id)).orderBy(asc(runbookValidations.signedAt));
  const markdown = rows.length
    ? appendValidationLogRows(
        revision.markdown,
        rows.map((r) => ({ date: r.date, validator: r.validator, environment: r.environment, result: formatValidationResult(r.result === "pass_with_notes" ? "pass-with-notes" : r.result), notes: r.notes, reportUrl: r.reportUrl ?? undefined })),
      )
    : revision.markdown;
  return { fileName: `${runbook.slug}.md`, markdown, revision: revision.number, appendedRows: rows.length };
}

