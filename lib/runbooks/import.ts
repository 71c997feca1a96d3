import "server-only";
import { and, count, eq, inArray, or } from "drizzle-orm";
import { type Db, sharesOneConnection } from "@/db/client";
import { runbookLinks, runbookRevisions, runbooks, type Runbook } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { RunbookParseError } from "@/lib/runbooks/parse";
import type { RevisionHead, StagedRevision } from "@/lib/runbooks/parse/prepared";
import { decodeRunbookBytes, sha256Hex } from "./bytes";
import { parseInWorkerStaged } from "./parse-worker";
import { type CommitInfo, runbookLinksOf, sqlCounts, type StoredCounts, type WriteRevisionArgs, writeRevisions } from "./store";
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

/** Text parsed ahead of the files being written: the worker reads while the database writes. */
const LOOKAHEAD_BYTES = 2 * 1024 * 1024;
const LOOKAHEAD_FILES = 64;
/**
 * Files written per transaction: short transactions, few statements per file. The embedded
 * database serves one query at a time, health checks included, so there a transaction holds about
 * a third as much: it waits 10–25 ms instead of 35–50 ms, for about 5% more time on the whole corpus.
 */
const BATCH_FILES = 24;
const BATCH_BYTES = 96 * 1024;
const ONE_CONNECTION_BATCH_BYTES = 32 * 1024;

/** Imports of at most this many files parse before knowing which files changed. */
const EARLY_PARSE_FILES = 4;

type Decoded = { file: ImportFile; name: string; markdown: string; sha256: string };
type Parsed = Decoded & { index: number; prepared: StagedRevision };

/**
 * Imports many files. Identical content is a no-op, recognised by hash before any parsing; parsing
 * runs in the worker thread with a time budget while earlier files are written, a few dozen per
 * transaction with their audit entries. If such a batch fails, its files are written one per
 * transaction, so a bad file is reported and the others still import.
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
  // A few files (an upload, an edit): parsing starts while the database says whether they changed;
  // an unchanged one costs the worker a parse nobody waits for.
  const early = decoded.length <= EARLY_PARSE_FILES ? new Map(decoded.map((d) => [d.index, startParse(d)])) : null;
  // Meanwhile the rows these files may write to are read too (see `writeBatch`).
  const [same, prefetched] = await Promise.all([currentByShas(ctx.db, decoded.map((d) => d.sha256)), early ? readCandidates(ctx.db, decoded) : null]);
  let known = prefetched;
  const toParse: Array<Decoded & { index: number }> = [];
  for (const d of decoded) {
    const match = pickUnchanged(same.get(d.sha256) ?? [], d);
    if (match) results[d.index] = { ...summary(d.name, "unchanged", match.runbook.slug, match.runbook.title, match.revisionNumber, d.sha256, match.counts, [], 0) };
    else toParse.push(d);
  }
  await fillPendingCounts(ctx.db, results, same);

  const parses: Array<Promise<StagedRevision> | undefined> = [];
  let queued = 0;
  let queuedBytes = 0;
  const ensure = (from: number) => {
    while (queued < toParse.length && (queued <= from || (queued - from < LOOKAHEAD_FILES && queuedBytes < LOOKAHEAD_BYTES))) {
      const d = toParse[queued];
      parses.push(early?.get(d.index) ?? startParse(d));
      queuedBytes += d.markdown.length;
      queued += 1;
    }
  };
  const batchLimit = sharesOneConnection(ctx.db) ? ONE_CONNECTION_BATCH_BYTES : BATCH_BYTES;
  let batch: Parsed[] = [];
  let batchBytes = 0;
  const flush = async () => {
    const written = batch;
    batch = [];
    batchBytes = 0;
    for (const [i, r] of (await writeBatch(ctx, written, known)).entries()) results[written[i].index] = r;
    // Rows read before any write: only the first transaction may use them.
    known = null;
    // The embedded database answers on this event loop through promise callbacks only: let waiting
    // requests (a health check, a page) in between two transactions.
    await new Promise((resolve) => setImmediate(resolve));
  };
  for (let i = 0; i < toParse.length; i += 1) {
    ensure(i);
    const d = toParse[i];
    let prepared: StagedRevision;
    try {
      prepared = await parses[i]!;
    } catch (error) {
      results[d.index] = failure(ctx, d.name, error);
      continue;
    } finally {
      // Nothing keeps a parse once it is written: memory stays bounded by the look-ahead.
      parses[i] = undefined;
      queuedBytes -= d.markdown.length;
    }
    batch.push({ ...d, prepared });
    batchBytes += d.markdown.length;
    if (batch.length >= BATCH_FILES || batchBytes >= batchLimit) await flush();
  }
  if (batch.length) await flush();
  return results;
}

/** A file's parse: its head is enough to start writing; the body follows (see writeRevisions). */
function startParse(d: Decoded): Promise<StagedRevision> {
  const parse = parseInWorkerStaged(d.markdown, { fileName: parserFileName(d.name) });
  parse.catch(() => undefined);
  return parse;
}

/**
 * Writes a batch in one transaction; files aiming at the same runbook go to a later batch. `known`:
 * candidate rows read before the transaction, used when they cover every candidate of the batch.
 * Reading them early is safe: an update checks the row's version and a new slug is unique, so a
 * concurrent change still makes the write fail visibly.
 */
async function writeBatch(ctx: Ctx, items: Parsed[], known: Candidates | null = null): Promise<ImportResult[]> {
  const out: ImportResult[] = new Array(items.length);
  let rest = items.map((item, i) => ({ item, i }));
  const items0 = rest;
  let usedEarly = false;
  while (rest.length) {
    const deferred: typeof rest = [];
    const todo = rest;
    try {
      const written = await ctx.db.transaction(async (tx) => {
        const batch = todo.map((t) => t.item);
        // Rows read before the first transaction only hold for it (the next one follows writes).
        const early = todo === items0 && known && covers(known, batch) ? known : null;
        usedEarly = !!early;
        const targets = targetsOf(batch, early ?? (await readCandidates(tx, batch)));
        const slugs = new Set<string>();
        const args: WriteRevisionArgs[] = [];
        const kept: Array<{ t: (typeof todo)[number]; created: boolean }> = [];
        todo.forEach((t, k) => {
          const { existing, slug } = targets[k];
          if (slugs.has(slug) || (existing && slugs.has(`id:${existing.id}`))) return void deferred.push(t);
          slugs.add(slug);
          if (existing) slugs.add(`id:${existing.id}`);
          const d = t.item;
          args.push({ existing, slug, markdown: d.markdown, sha256: d.sha256, prepared: d.prepared, source: d.file.commit ? "sync" : "import", fileName: baseName(d.name), commit: d.file.commit });
          kept.push({ t, created: !existing || existing.status === "pending" });
        });
        const rows = await writeRevisions(tx, ctx, args);
        return rows.map((w, k) => ({ w, ...kept[k] }));
      });
      for (const { w, t, created } of written) {
        const d = t.item;
        out[t.i] = summary(d.name, created ? "created" : "updated", w.runbook.slug, w.runbook.title, w.revision.number, d.sha256, d.prepared.head, w.pendingCreated, w.pendingLinks);
      }
      rest = deferred;
    } catch (error) {
      if (usedEarly) {
        // The rows read early may have changed meanwhile (another import made the slug, someone
        // saved the runbook): once more with rows read inside the transaction, as any other batch.
        known = null;
        usedEarly = false;
        continue;
      }
      if (todo.length > 1) {
        // One file spoiled the batch: write each on its own to find it; the others still import.
        for (const t of todo) out[t.i] = (await writeBatch(ctx, [t.item]))[0];
        rest = [];
        continue;
      }
      const d = todo[0].item;
      // The parse failed after its head (over its budget while serialising, a worker that died).
      const parseError = await d.prepared.body.then(
        () => null,
        (e: unknown) => e ?? new Error("the parse failed"),
      );
      if (parseError) {
        out[todo[0].i] = failure(ctx, d.name, parseError);
        rest = [];
        continue;
      }
      if (!isAppError(error)) log.error("runbook_import_failed", { requestId: ctx.actor.requestId, file: d.name, error: String(error) });
      out[todo[0].i] = { file: d.name, status: "error", error: `${d.name}: ${isAppError(error) ? error.message : "could not be saved; nothing was changed for this file."}`, warnings: d.prepared.head.warnings };
      rest = [];
    }
  }
  return out;
}

/** Rows a batch may write to, by id and by slug, and which ids and slugs were looked for. */
type Candidates = { ids: Set<string>; slugs: Set<string>; byId: Map<string, Runbook>; bySlug: Map<string, Runbook> };

/** The candidate rows of these files, read in one query per 500. */
async function readCandidates(db: Db, items: Array<Decoded | Parsed>): Promise<Candidates> {
  const ids = new Set<string>();
  const slugs = new Set<string>();
  for (const d of items) {
    if (d.file.runbookId) ids.add(d.file.runbookId);
    for (const s of candidateSlugs(d)) slugs.add(s);
  }
  const rows: Runbook[] = [];
  const idList = [...ids];
  const slugList = [...slugs];
  for (let i = 0; i < Math.max(idList.length, slugList.length); i += 500) {
    const idPart = idList.slice(i, i + 500);
    const slugPart = slugList.slice(i, i + 500);
    const where = idPart.length && slugPart.length ? or(inArray(runbooks.id, idPart), inArray(runbooks.slug, slugPart)) : idPart.length ? inArray(runbooks.id, idPart) : inArray(runbooks.slug, slugPart);
    rows.push(...(await db.select().from(runbooks).where(where)));
  }
  return { ids, slugs, byId: new Map(rows.map((r) => [r.id, r])), bySlug: new Map(rows.map((r) => [r.slug, r])) };
}

/** Whether rows read for other (or unparsed) files answer for every candidate of this batch. */
function covers(known: Candidates, items: Parsed[]): boolean {
  return items.every((d) => (!d.file.runbookId || known.ids.has(d.file.runbookId)) && candidateSlugs(d).every((s) => known.slugs.has(s)));
}

function targetsOf(items: Parsed[], known: Candidates): Array<{ existing: Runbook | undefined; slug: string }> {
  return items.map((d) => targetOf(d, known.byId, known.bySlug));
}

function candidateSlugs(d: Parsed | Decoded): string[] {
  const out = [slugFromFileName(d.name)];
  if ("prepared" in d) out.push(importSlug(d.name, d.prepared.head));
  if (d.file.commit) out.push(fromPathSlug(d.file.commit.path));
  return out.filter(Boolean);
}

function fromPathSlug(path: string): string {
  return slugify(path.replace(/\.(md|markdown)$/i, ""));
}

/**
 * The runbook a file writes to: the synced path's runbook (renames keep it), else a runbook named
 * after the file (e.g. an index's pending "incident_response.md" entry), else the title's slug. In
 * a repository, two files of the same name in different folders get slugs from their paths.
 */
function targetOf(d: Decoded, byId: Map<string, Runbook>, bySlug: Map<string, Runbook>): { existing: Runbook | undefined; slug: string } {
  if (d.file.runbookId) {
    const row = byId.get(d.file.runbookId);
    if (row) return { existing: row, slug: row.slug };
  }
  const commit = d.file.commit;
  const ownedElsewhere = (r: Runbook | undefined) => !!r && !!commit && r.repositoryId === commit.repositoryId && !!r.sourcePath && r.sourcePath !== commit.path;
  const fromFile = slugFromFileName(d.name);
  const named = fromFile ? bySlug.get(fromFile) : undefined;
  if (named && !ownedElsewhere(named)) return { existing: named, slug: named.slug };
  const slug = importSlug(d.name, (d as Parsed).prepared.head);
  const bySlugRow = slug === fromFile ? named : bySlug.get(slug);
  if (!ownedElsewhere(bySlugRow)) return { existing: bySlugRow, slug };
  const fromPath = fromPathSlug(commit!.path);
  return { existing: bySlug.get(fromPath), slug: fromPath };
}

/** The parser's slug: from a `.md` file name (how other runbooks link to it), else from the title. */
function importSlug(name: string, parsed: Pick<RevisionHead, "slug" | "title">): string {
  return parsed.slug || slugify(parsed.title) || slugFromFileName(name);
}

type ShaMatch = { runbook: Runbook; revisionNumber: number; counts: StoredCounts };

/** Runbooks whose current revision has one of these hashes, by hash (one query for a whole import). */
async function currentByShas(db: Db, shas: string[]): Promise<Map<string, ShaMatch[]>> {
  const out = new Map<string, ShaMatch[]>();
  if (shas.length === 0) return out;
  const p = runbookRevisions.outline;
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
  parsed: RevisionHead | StoredCounts,
  pendingCreated: string[],
  pendingLinks: number,
): ImportSummary {
  const links = runbookLinksOf(parsed, slug);
  const counts = "counts" in parsed ? parsed.counts : parsed;
  return {
    file,
    status,
    slug,
    title,
    revision,
    sha256,
    steps: counts.steps,
    placeholders: counts.placeholders,
    checklists: counts.checklists,
    tables: counts.tables,
    links: links.length,
    pendingLinks,
    pendingCreated,
    warnings: parsed.warnings,
  };
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() || name;
}

/** The name the parser reads (alert names, the slug): the base name, with its folder for a folder's index page. */
function parserFileName(name: string): string {
  const parts = name.split(/[\\/]/).filter(Boolean);
  return /^(?:_?index|readme)\.(?:md|markdown)$/i.test(parts.at(-1) ?? "") && parts.length >= 2 ? parts.slice(-2).join("/") : baseName(name);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200);
}
