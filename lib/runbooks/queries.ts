import "server-only";
import { and, asc, desc, eq, ilike, isNotNull, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { runbookLinks, runbookRepositories, runbookRevisions, runbooks, runbookValidations, type Runbook, type RunbookRevision, type RunbookValidation } from "@/db/schema";
import { parseInput } from "@/lib/validation";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import type { ParsedRunbook, RunbookDocument } from "@/lib/runbooks/parse";
import { fromStored } from "@/lib/runbooks/parse/stored";
import { displayStatus, type DisplayStatus } from "./status";
import { findRevision, findRunbookBySlug } from "./store";
import { lineDiff, type DiffLine } from "./line-diff";

export const UNCATEGORISED = "Uncategorised";

export type CatalogEntry = {
  slug: string;
  title: string;
  category: string;
  summary: string | null;
  status: DisplayStatus;
  owner: string | null;
  revision: number | null;
  steps: number;
  alertNames: string[];
  tags: string[];
  sourcePath: string | null;
  archived: boolean;
  updatedAt: Date;
  lastValidatedAt: Date | null;
};

export const catalogFilterSchema = z.object({
  q: z.string().trim().max(200).optional(),
  category: z.string().trim().max(200).optional(),
  alert: z.string().trim().max(200).optional(),
  tag: z.string().trim().max(200).optional(),
  /** validated, stale, never (written, never validated), pending (only linked to). */
  status: z.enum(["validated", "stale", "never", "pending"]).optional(),
  archived: z.boolean().optional(),
});

export type CatalogFilter = z.input<typeof catalogFilterSchema>;

export type Catalog = {
  /** Written runbooks, by category (weight, then title); pending entries are in `pending`. */
  entries: CatalogEntry[];
  pending: CatalogEntry[];
  categories: string[];
  alertNames: string[];
  tags: string[];
};

function like(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The catalog a team lives in: written runbooks first (by category, weight, title), pending
 * entries apart; filters by category, alert name, tag and status; search over titles, alert
 * names, aliases and text. Archived runbooks only when asked for.
 */
export async function listCatalog(ctx: Ctx, filter: CatalogFilter = {}): Promise<CatalogEntry[]> {
  const catalog = await getCatalog(ctx, filter);
  return [...catalog.entries, ...catalog.pending];
}

export async function getCatalog(ctx: Ctx, input: CatalogFilter = {}): Promise<Catalog> {
  requirePermission(ctx.actor, "runbooks.read");
  const f = parseInput(catalogFilterSchema, input);
  const conditions = [f.archived ? isNotNull(runbooks.archivedAt) : isNull(runbooks.archivedAt)];
  if (f.q) {
    const pattern = like(f.q);
    conditions.push(
      or(
        ilike(runbooks.title, pattern),
        ilike(runbooks.slug, pattern),
        ilike(runbooks.category, pattern),
        ilike(runbooks.summary, pattern),
        sql`array_to_string(${runbooks.alertNames}, ' ') ilike ${pattern}`,
        sql`array_to_string(${runbooks.aliases}, ' ') ilike ${pattern}`,
        ilike(runbookRevisions.markdown, pattern),
      )!,
    );
  }
  if (f.category) conditions.push(f.category === UNCATEGORISED ? isNull(runbooks.category) : eq(runbooks.category, f.category));
  if (f.alert) conditions.push(sql`exists (select 1 from unnest(${runbooks.alertNames}) a where lower(a) = lower(${f.alert}))`);
  if (f.tag) conditions.push(sql`exists (select 1 from unnest(${runbooks.tags}) t where lower(t) = lower(${f.tag}))`);
  const rows = await ctx.db
    .select({
      runbook: runbooks,
      revision: runbookRevisions.number,
      steps: sql<number>`coalesce((${runbookRevisions.outline} -> 'counts' ->> 'steps')::int, 0)`,
    })
    .from(runbooks)
    .leftJoin(runbookRevisions, eq(runbookRevisions.id, runbooks.currentRevisionId))
    .where(and(...conditions))
    // lower(): the same order on every database collation.
    .orderBy(sql`lower(${runbooks.category}) asc nulls last`, sql`${runbooks.weight} asc nulls last`, sql`lower(${runbooks.title})`, asc(runbooks.slug));
  const now = new Date();
  const all = rows.map(({ runbook, revision, steps }) => ({
    slug: runbook.slug,
    title: runbook.title,
    category: runbook.category ?? UNCATEGORISED,
    summary: runbook.summary,
    status: displayStatus(runbook, now),
    owner: runbook.owner,
    revision: revision ?? null,
    steps: Number(steps),
    alertNames: runbook.alertNames,
    tags: runbook.tags,
    sourcePath: runbook.sourcePath,
    archived: !!runbook.archivedAt,
    updatedAt: runbook.updatedAt,
    lastValidatedAt: runbook.lastValidatedAt,
  }));
  const wanted = (e: CatalogEntry) => !f.status || (f.status === "never" ? e.status === "draft" : e.status === f.status);
  const written = all.filter((e) => e.status !== "pending");
  return {
    entries: written.filter(wanted),
    pending: all.filter((e) => e.status === "pending" && wanted(e)),
    categories: [...new Set(all.map((e) => e.category))].sort(),
    alertNames: [...new Set(written.flatMap((e) => e.alertNames))].sort(),
    tags: [...new Set(written.flatMap((e) => e.tags))].sort(),
  };
}

export type RevisionInfo = {
  id: string;
  number: number;
  sha256: string;
  source: string;
  fileName: string | null;
  changeNote: string | null;
  authorName: string | null;
  createdAt: Date;
  commitId: string | null;
  commitAuthor: string | null;
  commitDate: Date | null;
  sourcePath: string | null;
};

export type LinkView = { targetSlug: string; text: string; href: string; line: number; category: string | null; pending: boolean; targetTitle: string | null };

export type RunbookView = {
  runbook: Runbook;
  status: DisplayStatus;
  current: (RevisionInfo & { markdown: string; parsed: ParsedRunbook; document: RunbookDocument | null; parserVersion: number }) | null;
  repository: { id: string; name: string; path: string; branch: string | null; commitUrlTemplate: string | null } | null;
  revisions: RevisionInfo[];
  links: LinkView[];
  referencedBy: Array<{ slug: string; title: string; text: string }>;
  validations: RunbookValidation[];
};

const revisionInfoColumns = {
  id: runbookRevisions.id,
  number: runbookRevisions.number,
  sha256: runbookRevisions.sha256,
  source: runbookRevisions.source,
  fileName: runbookRevisions.fileName,
  changeNote: runbookRevisions.changeNote,
  authorName: runbookRevisions.authorName,
  createdAt: runbookRevisions.createdAt,
  commitId: runbookRevisions.commitId,
  commitAuthor: runbookRevisions.commitAuthor,
  commitDate: runbookRevisions.commitDate,
  sourcePath: runbookRevisions.sourcePath,
};

export async function getRunbookView(ctx: Ctx, slug: string): Promise<RunbookView> {
  requirePermission(ctx.actor, "runbooks.read");
  const runbook = await findRunbookBySlug(ctx.db, slug);
  if (!runbook) throw new NotFoundError("There is no runbook with that name.");
  const current = await findRevision(ctx.db, runbook.currentRevisionId);
  const revisions = await ctx.db.select(revisionInfoColumns).from(runbookRevisions).where(eq(runbookRevisions.runbookId, runbook.id)).orderBy(desc(runbookRevisions.number));
  const linkRows = await ctx.db
    .select({ link: runbookLinks, targetTitle: runbooks.title, targetStatus: runbooks.status })
    .from(runbookLinks)
    .leftJoin(runbooks, eq(runbooks.slug, runbookLinks.targetSlug))
    .where(eq(runbookLinks.fromRunbookId, runbook.id))
    .orderBy(asc(runbookLinks.line));
  const referencedBy = await ctx.db
    .selectDistinct({ slug: runbooks.slug, title: runbooks.title, text: runbookLinks.text })
    .from(runbookLinks)
    .innerJoin(runbooks, eq(runbooks.id, runbookLinks.fromRunbookId))
    .where(eq(runbookLinks.targetSlug, runbook.slug));
  const validations = await ctx.db.select().from(runbookValidations).where(eq(runbookValidations.runbookId, runbook.id)).orderBy(asc(runbookValidations.signedAt));
  const [repository] = runbook.repositoryId
    ? await ctx.db.select({ id: runbookRepositories.id, name: runbookRepositories.name, path: runbookRepositories.path, branch: runbookRepositories.branch, commitUrlTemplate: runbookRepositories.commitUrlTemplate }).from(runbookRepositories).where(eq(runbookRepositories.id, runbook.repositoryId))
    : [];
  return {
    runbook,
    status: displayStatus(runbook),
    current: current
      ? {
          ...revisionInfo(current),
          markdown: current.markdown,
          parsed: fromStored(current.parsed),
          document: (current.document as RunbookDocument | null) ?? null,
          parserVersion: current.parserVersion,
        }
      : null,
    repository: repository ?? null,
    revisions,
    links: linkRows.map(({ link, targetTitle, targetStatus }) => ({
      targetSlug: link.targetSlug,
      text: link.text,
      href: link.href,
      line: link.line,
      category: link.category,
      pending: !targetStatus || targetStatus === "pending",
      targetTitle: targetTitle ?? null,
    })),
    referencedBy,
    validations,
  };
}

export async function getRevision(ctx: Ctx, slug: string, number: number) {
  requirePermission(ctx.actor, "runbooks.read");
  const [row] = await ctx.db
    .select({ revision: runbookRevisions })
    .from(runbookRevisions)
    .innerJoin(runbooks, eq(runbooks.id, runbookRevisions.runbookId))
    .where(and(eq(runbooks.slug, slug), eq(runbookRevisions.number, number)))
    .limit(1);
  if (!row) throw new NotFoundError(`Revision ${number} of that runbook does not exist.`);
  return row.revision;
}

export type RevisionDiff = { from: RevisionInfo; to: RevisionInfo; lines: DiffLine[]; added: number; removed: number };

/** The line diff from one revision to another (either order). */
export async function diffRevisions(ctx: Ctx, slug: string, from: number, to: number): Promise<RevisionDiff> {
  const a = await getRevision(ctx, slug, from);
  const b = await getRevision(ctx, slug, to);
  return { from: revisionInfo(a), to: revisionInfo(b), ...lineDiff(a.markdown, b.markdown) };
}

function revisionInfo(r: RunbookRevision): RevisionInfo {
  return {
    id: r.id,
    number: r.number,
    sha256: r.sha256,
    source: r.source,
    fileName: r.fileName,
    changeNote: r.changeNote,
    authorName: r.authorName,
    createdAt: r.createdAt,
    commitId: r.commitId,
    commitAuthor: r.commitAuthor,
    commitDate: r.commitDate,
    sourcePath: r.sourcePath,
  };
}
