import "server-only";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { parseRunbook, RunbookParseError, type ParsedRunbook } from "@/lib/runbooks/parse";
import { decodeRunbookBytes, sha256Hex } from "./bytes";
import { countPendingLinks, findCurrentBySha, findRunbookBySlug, runbookLinksOf, writeRevision, type StoredCounts } from "./store";
import { slugFromFileName, slugify } from "./slug";

export type ImportFile = { name: string; bytes: Uint8Array };

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

/**
 * Imports many files; each file is on its own (one transaction with its audit entry), so a bad
 * file is reported and the others still import. Identical content is a no-op.
 */
export async function importRunbooks(ctx: Ctx, files: ImportFile[]): Promise<ImportResult[]> {
  requirePermission(ctx.actor, "runbooks.edit");
  const results: ImportResult[] = [];
  for (const file of files) results.push(await importOne(ctx, file));
  return results;
}

async function importOne(ctx: Ctx, file: ImportFile): Promise<ImportResult> {
  const name = baseName(file.name);
  let markdown: string;
  try {
    markdown = decodeRunbookBytes(file.bytes, name);
  } catch (error) {
    return failure(ctx, name, error);
  }
  const sha256 = sha256Hex(file.bytes);
  // Identical content is recognised by its hash before any parsing: a no-op, reported as unchanged.
  const same = await findCurrentBySha(ctx.db, sha256, slugFromFileName(name));
  if (same) {
    const pendingLinks = await countPendingLinks(ctx.db, same.runbook.id);
    return summary(name, "unchanged", same.runbook.slug, same.runbook.title, same.revisionNumber, sha256, same.counts, [], pendingLinks);
  }
  let parsed: ParsedRunbook;
  try {
    parsed = parseRunbook(markdown, { fileName: name });
  } catch (error) {
    return failure(ctx, name, error);
  }
  try {
    const slug = await importSlug(ctx, name, parsed);
    const existing = await findRunbookBySlug(ctx.db, slug);
    const written = await ctx.db.transaction(async (tx) => {
      // Re-read inside the transaction: a concurrent import of the same slug loses visibly.
      const row = await findRunbookBySlug(tx, slug);
      return writeRevision(tx, ctx, { existing: row, slug, markdown, sha256, parsed, source: "import", fileName: name });
    });
    const status = existing && existing.status !== "pending" ? "updated" : "created";
    const pendingLinks = await countPendingLinks(ctx.db, written.runbook.id);
    return summary(name, status, written.runbook.slug, written.runbook.title, written.revision.number, sha256, parsed, written.pendingCreated, pendingLinks);
  } catch (error) {
    if (!isAppError(error)) log.error("runbook_import_failed", { requestId: ctx.actor.requestId, file: name, error: String(error) });
    return { file: name, status: "error", error: `${name}: ${isAppError(error) ? error.message : "could not be saved; nothing was changed for this file."}`, warnings: parsed.warnings };
  }
}

function failure(ctx: Ctx, name: string, error: unknown): ImportFailure {
  if (error instanceof RunbookParseError) return { file: name, status: "error", error: error.message, code: error.code, warnings: [] };
  log.warn("runbook_parse_failed", { requestId: ctx.actor.requestId, file: name, error: String(error) });
  return { file: name, status: "error", error: `${name}: the markdown could not be read as a runbook (${errorText(error)}).`, warnings: [] };
}

/**
 * The slug a file imports to: a runbook already named after the file (e.g. an index's pending
 * "incident_response.md" entry) wins; otherwise the parser's slug (from the title).
 */
async function importSlug(ctx: Ctx, name: string, parsed: ParsedRunbook): Promise<string> {
  const fromFile = slugFromFileName(name);
  if (fromFile && (await findRunbookBySlug(ctx.db, fromFile))) return fromFile;
  return parsed.slug || slugify(parsed.title) || fromFile;
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
