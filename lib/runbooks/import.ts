import "server-only";
import { and, count, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookLinks, runbookRevisions, runbooks, type Runbook } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { type AnalyzedRunbook, RunbookParseError, type ParsedRunbook } from "@/lib/runbooks/parse";
import { decodeRunbookBytes, sha256Hex } from "./bytes";
import { parseInWorker } from "./parse-worker";
import { type CommitInfo, findRunbookBySlug, runbookLinksOf, sqlCounts, type StoredCounts, writeRevision } from "./store";
import { slugFromFileName, slugify } from "./slug";

export type ImportFile = {
  name: string;
  bytes: Uint8Array;
  /** Synced files: the runbook this path belongs to (renames keep it), and the commit. */
  runbookId?: string;
  commit?: CommitInfo;
};

export type ImportSummary = {
  file: string;
  status: "created" | "updated" | "unchanged";
  slug: string;
  title: string;
  revision: number;
  sha256: string;
  steps: number;
  placeholders: number;
  checklists: number;
  tables: number;
  links: number;
  pendingLinks: number;
  pendingCreated: string[];
  warnings: string[];
};

export type ImportFailure = { file: string; status: "error"; error: string; code?: string; warnings: string[] };

export type ImportResult = ImportSummary | ImportFailure;

/** Files parsed ahead of the one being written: the worker reads while the database writes. */
const LOOKAHEAD = 8;

type Decoded = { file: ImportFile; name: string; markdown: string; sha256: string };

/**
 * Imports many files; each file is on its own (one transaction with its audit entry), so a bad
 * file is reported and the others still import. Identical content is a no-op, recognised by hash
 * before any parsing; parsing runs in the worker thread with a time budget.
 */
export async function importRunbooks(ctx: Ctx, files: ImportFile[]): Promise<ImportResult[]> {
  requirePermission(ctx.actor, "runbooks.edit");
  const results: ImportResult[] = new Array(files.length);
  const decoded: Array<Decoded & { index: number }> = [];
  files.forEach((file, index) => {
    const name = file.commit ? file.commit.path : baseName(file.name);
    try {
      decoded.push({ index, file, name, markdown: decodeRunbookBytes(file.bytes, name), sha256: sha256Hex(file.bytes) });
    } catch (error) {
      results[index] = failure(ctx, name, error);
    }
  });
  const same = await currentByShas(ctx.db, decoded.map((d) => d.sha256));
  const toParse: Array<Decoded & { index: number }> = [];
  for (const d of decoded) {
    const match = pickUnchanged(same.get(d.sha256) ?? [], d);
    if (match) results[d.index] = { ...summary(d.name, "unchanged", match.runbook.slug, match.runbook.title, match.revisionNumber, d.sha256, match.counts, [], 0) };
    else toParse.push(d);
  }
  await fillPendingCounts(ctx.db, results, same);
  const parses: Array<Promise<AnalyzedRunbook>> = [];
  const ensure = (upTo: number) => {
    for (let i = parses.length; i < Math.min(upTo, toParse.length); i += 1) {
      const p = parseInWorker(toParse[i].markdown, { fileName: baseName(toParse[i].name) });
      p.catch(() => undefined);
      parses.push(p);
    }
  };
  for (let i = 0; i < toParse.length; i += 1) {
    ensure(i + 1 + LOOKAHEAD);
    const d = toParse[i];
    let analyzed: AnalyzedRunbook;
    try {
      analyzed = await parses[i];
    } catch (error) {
      results[d.index] = failure(ctx, d.name, error);
      continue;
    }
    results[d.index] = await writeParsed(ctx, d, analyzed);
  }
  return results;
}

async function writeParsed(ctx: Ctx, d: Decoded, { parsed, document }: AnalyzedRunbook): Promise<ImportResult> {
  try {
    const written = await ctx.db.transaction(async (tx) => {
      // Read inside the transaction: a concurrent import of the same slug loses visibly.
      const { existing, slug } = await targetOf(tx, d, parsed);
      const w = await writeRevision(tx, ctx, { existing, slug, markdown: d.markdown, sha256: d.sha256, parsed, document, source: d.file.commit ? "sync" : "import", fileName: baseName(d.name), commit: d.file.commit });
      return { ...w, created: !existing || existing.status === "pending" };
    });
    return summary(d.name, written.created ? "created" : "updated", written.runbook.slug, written.runbook.title, written.revision.number, d.sha256, parsed, written.pendingCreated, written.pendingLinks);
  } catch (error) {
    if (!isAppError(error)) log.error("runbook_import_failed", { requestId: ctx.actor.requestId, file: d.name, error: String(error) });
    return { file: d.name, status: "error", error: `${d.name}: ${isAppError(error) ? error.message : "could not be saved; nothing was changed for this file."}`, warnings: parsed.warnings };
  }
}

/**
 * The runbook a file writes to: the synced path's runbook (renames keep it), else a runbook named
 * after the file (e.g. an index's pending "incident_response.md" entry), else the title's slug. In
 * a repository, two files of the same name in different folders get slugs from their paths.
 */
async function targetOf(db: Db, d: Decoded, parsed: ParsedRunbook): Promise<{ existing: Runbook | undefined; slug: string }> {
  if (d.file.runbookId) {
    const [row] = await db.select().from(runbooks).where(eq(runbooks.id, d.file.runbookId)).limit(1);
    if (row) return { existing: row, slug: row.slug };
  }
  const commit = d.file.commit;
  const ownedElsewhere = (r: Runbook | undefined) => !!r && !!commit && r.repositoryId === commit.repositoryId && !!r.sourcePath && r.sourcePath !== commit.path;
  const fromFile = slugFromFileName(d.name);
  const named = fromFile ? await findRunbookBySlug(db, fromFile) : undefined;
  if (named && !ownedElsewhere(named)) return { existing: named, slug: named.slug };
  const slug = importSlug(d.name, parsed);
  const bySlug = slug === fromFile ? named : await findRunbookBySlug(db, slug);
  if (!ownedElsewhere(bySlug)) return { existing: bySlug, slug };
  const fromPath = slugify(commit!.path.replace(/\.(md|markdown)$/i, ""));
  return { existing: await findRunbookBySlug(db, fromPath), slug: fromPath };
}

/** The parser's slug: from a `.md` file name (how other runbooks link to it), else from the title. */
function importSlug(name: string, parsed: ParsedRunbook): string {
  return parsed.slug || slugify(parsed.title) || slugFromFileName(name);
}

type ShaMatch = { runbook: Runbook; revisionNumber: number; counts: StoredCounts };

/** Runbooks whose current revision has one of these hashes, by hash (one query for a whole import). */
async function currentByShas(db: Db, shas: string[]): Promise<Map<string, ShaMatch[]>> {
  const out = new Map<string, ShaMatch[]>();
  if (shas.length === 0) return out;
  const p = runbookRevisions.parsed;
  for (let i = 0; i < shas.length; i += 500) {
    const rows = await db
      .select({
        runbook: runbooks,
        sha256: runbookRevisions.sha256,
        revisionNumber: runbookRevisions.number,
        counts: sqlCounts(p),
      })
      .from(runbookRevisions)
      .innerJoin(runbooks, eq(runbooks.currentRevisionId, runbookRevisions.id))
      .where(inArray(runbookRevisions.sha256, shas.slice(i, i + 500)));
    for (const r of rows) out.set(r.sha256, [...(out.get(r.sha256) ?? []), r]);
  }
  return out;
}

/** An unchanged file: same content as the current revision of the runbook it would write to. */
function pickUnchanged(matches: ShaMatch[], d: Decoded): ShaMatch | undefined {
  if (d.file.runbookId) return matches.find((m) => m.runbook.id === d.file.runbookId && !m.runbook.archivedAt);
  if (d.file.commit) return undefined;
  const preferSlug = slugFromFileName(d.name);
  return matches.find((m) => m.runbook.slug === preferSlug) ?? matches[0];
}

async function fillPendingCounts(db: Db, results: ImportResult[], same: Map<string, ShaMatch[]>): Promise<void> {
  const ids = [...new Set([...same.values()].flat().map((m) => m.runbook.id))];
  if (ids.length === 0) return;
  const rows = await db
    .select({ id: runbookLinks.fromRunbookId, n: count() })
    .from(runbookLinks)
    .where(and(inArray(runbookLinks.fromRunbookId, ids), eq(runbookLinks.pending, true)))
    .groupBy(runbookLinks.fromRunbookId);
  const bySlug = new Map([...same.values()].flat().map((m) => [m.runbook.slug, m.runbook.id]));
  const counts = new Map(rows.map((r) => [r.id, Number(r.n)]));
  for (const r of results) if (r && r.status === "unchanged") r.pendingLinks = counts.get(bySlug.get(r.slug) ?? "") ?? 0;
}

function failure(ctx: Ctx, name: string, error: unknown): ImportFailure {
  if (error instanceof RunbookParseError) return { file: name, status: "error", error: error.message, code: error.code, warnings: [] };
  log.warn("runbook_parse_failed", { requestId: ctx.actor.requestId, file: name, error: String(error) });
  return { file: name, status: "error", error: `${name}: the markdown could not be read as a runbook (${errorText(error)}).`, warnings: [] };
}

function summary(
  file: string,
  status: ImportSummary["status"],
  slug: string,
  title: string,
  revision: number,
  sha256: string,
  parsed: ParsedRunbook | StoredCounts,
  pendingCreated: string[],
  pendingLinks: number,
): ImportSummary {
  const links = runbookLinksOf(parsed, slug);
  const n = (v: unknown[] | number) => (typeof v === "number" ? v : v.length);
  return {
    file,
    status,
    slug,
    title,
    revision,
    sha256,
    steps: n(parsed.steps),
    placeholders: n(parsed.placeholders),
    checklists: n(parsed.checklists),
    tables: n(parsed.tables),
    links: links.length,
    pendingLinks,
    pendingCreated,
    warnings: parsed.warnings,
  };
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() || name;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}
