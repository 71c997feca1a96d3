import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookRevisions, runbooks } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { log } from "@/lib/log";
import { PARSER_VERSION } from "./parse";
import { parseInWorker } from "./parse-worker";

/** The stored structure's step ids in order (full and slim stored forms alike). */
function storedStepIds(parsed: unknown): string[] {
  return ((parsed as { steps?: Array<{ id: string }> }).steps ?? []).map((s) => s.id);
}

/**
 * Start hook: starts the parse worker, then current revisions stored by an earlier parser (no
 * rendered document, or an older structure) are read again in the worker, one at a time, so pages
 * never parse on a GET. The text is unchanged; the derived structure and document are replaced,
 * audited as `runbook.reparse` — but only when the new parse places exactly the stored steps (same
 * ids, same order): executions, approvals and drills name steps by id, and a parser that numbers
 * them differently must not re-point those records at other steps. Otherwise the stored structure
 * and document stay as they are and the refusal is logged (`runbook_reparse_kept`).
 */
export async function reparseOutdatedRevisions(db: Db): Promise<number> {
  // Starting the worker compiles the parser once; do it now rather than in someone's first import.
  await parseInWorker("# Warm-up\n", { fileName: "warm-up.md" });
  const outdated = await db
    .select({ id: runbookRevisions.id, runbookId: runbookRevisions.runbookId, fileName: runbookRevisions.fileName, parserVersion: runbookRevisions.parserVersion })
    .from(runbookRevisions)
    .innerJoin(runbooks, eq(runbooks.currentRevisionId, runbookRevisions.id))
    .where(or(isNull(runbookRevisions.document), lt(runbookRevisions.parserVersion, PARSER_VERSION)));
  let done = 0;
  for (const revision of outdated) {
    try {
      // One text at a time: a repository of large runbooks is never all in memory.
      const [text] = await db.select({ markdown: runbookRevisions.markdown, parsed: runbookRevisions.parsed }).from(runbookRevisions).where(eq(runbookRevisions.id, revision.id));
      if (!text) continue;
      const { head, stored: storedBytes, outlineJson, document } = await parseInWorker(text.markdown, { fileName: revision.fileName ?? undefined });
      const stored = storedStepIds(text.parsed);
      if (!sameIds(stored, head.stepIds)) {
        log.warn("runbook_reparse_kept", {
          revision: revision.id,
          runbook: revision.runbookId,
          parserVersion: revision.parserVersion,
          reason: "the new parse places other steps than the stored ones; the stored structure and document are kept",
          storedSteps: stored.length,
          parsedSteps: head.stepIds.length,
          firstDifference: firstDifference(stored, head.stepIds),
        });
        continue;
      }
      const replaced = await db.transaction(async (tx) => {
        // A revision's text never changes; only a re-read replaces its structure, and that raises
        // its parser version: the version checked here is the one whose step ids were compared.
        const [row] = await tx
          .update(runbookRevisions)
          .set({ parsed: sql`${storedBytes}`, outline: sql`${outlineJson}::jsonb`, document: document === null ? null : sql`${document}`, parserVersion: PARSER_VERSION })
          .where(and(eq(runbookRevisions.id, revision.id), eq(runbookRevisions.parserVersion, revision.parserVersion)))
          .returning({ id: runbookRevisions.id });
        if (!row) return false;
        await writeAudit(tx, { actor: systemActor(), action: "runbook.reparse", targetType: "runbook", targetId: revision.runbookId, before: { revisionId: revision.id, parserVersion: revision.parserVersion }, after: { parserVersion: PARSER_VERSION, steps: head.counts.steps } });
        return true;
      });
      if (replaced) done += 1;
    } catch (error) {
      log.warn("runbook_reparse_failed", { revision: revision.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (done) log.info("runbooks.reparsed", { revisions: done });
  return done;
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function firstDifference(stored: string[], parsed: string[]): { index: number; stored: string | null; parsed: string | null } | null {
  for (let i = 0; i < Math.max(stored.length, parsed.length); i += 1) {
    if (stored[i] !== parsed[i]) return { index: i, stored: stored[i] ?? null, parsed: parsed[i] ?? null };
  }
  return null;
}
