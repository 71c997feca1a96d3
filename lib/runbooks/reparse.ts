import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookRevisions, runbooks } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { log } from "@/lib/log";
import { PARSER_VERSION } from "./parse";
import { parseInWorker } from "./parse-worker";

/**
 * Start hook: starts the parse worker, then current revisions stored by an earlier parser (no rendered document, or an older
 * structure) are read again in the worker, one at a time, so pages never parse on a GET. The text
 * is unchanged; the derived structure and document are replaced, audited as `runbook.reparse`.
 */
export async function reparseOutdatedRevisions(db: Db): Promise<number> {
  // Starting the worker compiles the parser once; do it now rather than in someone's first import.
  await parseInWorker("# Warm-up\n", { fileName: "warm-up.md" });
  const outdated = await db
    .select({ id: runbookRevisions.id, runbookId: runbookRevisions.runbookId, markdown: runbookRevisions.markdown, fileName: runbookRevisions.fileName, parserVersion: runbookRevisions.parserVersion })
    .from(runbookRevisions)
    .innerJoin(runbooks, eq(runbooks.currentRevisionId, runbookRevisions.id))
    .where(or(isNull(runbookRevisions.document), lt(runbookRevisions.parserVersion, PARSER_VERSION)));
  let done = 0;
  for (const revision of outdated) {
    try {
      const { head, storedJson, documentJson } = await parseInWorker(revision.markdown, { fileName: revision.fileName ?? undefined });
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(runbookRevisions)
          .set({ parsed: sql`${storedJson}::jsonb`, document: documentJson === null ? null : sql`${documentJson}::jsonb`, parserVersion: PARSER_VERSION })
          .where(and(eq(runbookRevisions.id, revision.id), eq(runbookRevisions.parserVersion, revision.parserVersion)))
          .returning({ id: runbookRevisions.id });
        if (!row) return;
        await writeAudit(tx, { actor: systemActor(), action: "runbook.reparse", targetType: "runbook", targetId: revision.runbookId, before: { revisionId: revision.id, parserVersion: revision.parserVersion }, after: { parserVersion: PARSER_VERSION, steps: head.counts.steps } });
      });
      done += 1;
    } catch (error) {
      log.warn("runbook_reparse_failed", { revision: revision.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (done) log.info("runbooks.reparsed", { revisions: done });
  return done;
}
