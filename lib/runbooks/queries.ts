import "server-only";
import { and, asc, desc, eq, ilike, or, sql } from "drizzle-orm";
import { runbookLinks, runbookRevisions, runbooks, runbookValidations, type Runbook, type RunbookValidation } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import type { ParsedRunbook } from "@/lib/runbooks/parse";
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
  updatedAt: Date;
  lastValidatedAt: Date | null;
};

/** Every runbook and pending entry, optionally filtered by a search over title, slug, category and text. */
export async function listCatalog(ctx: Ctx, options: { q?: string } = {}): Promise<CatalogEntry[]> {
  requirePermission(ctx.actor, "runbooks.read");
  const q = options.q?.trim();
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const rows = await ctx.db
    .select({
      runbook: runbooks,
      revision: runbookRevisions.number,
      steps: sql<number>`coalesce(jsonb_array_length(${runbookRevisions.parsed} -> 'steps'), 0)`,
    })
    .from(runbooks)
    .leftJoin(runbookRevisions, eq(runbookRevisions.id, runbooks.currentRevisionId))
    .where(
      pattern
        ? or(
            ilike(runbooks.title, pattern),
            ilike(runbooks.slug, pattern),
            ilike(runbooks.category, pattern),
            ilike(runbooks.summary, pattern),
            ilike(runbookRevisions.markdown, pattern),
          )
        : undefined,
    )
    .orderBy(asc(runbooks.category), asc(runbooks.title));
  const now = new Date();
  return rows.map(({ runbook, revision, steps }) => ({
    slug: runbook.slug,
    title: runbook.title,
    category: runbook.category ?? UNCATEGORISED,
    summary: runbook.summary,
    status: displayStatus(runbook, now),
    owner: runbook.owner,
    revision: revision ?? null,
    steps: Number(steps),
    updatedAt: runbook.updatedAt,
    lastValidatedAt: runbook.lastValidatedAt,
  }));
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
};

export type LinkView = { targetSlug: string; text: string; href: string; line: number; category: string | null; pending: boolean; targetTitle: string | null };

export type RunbookView = {
  runbook: Runbook;
  status: DisplayStatus;
  current: (RevisionInfo & { markdown: string; parsed: ParsedRunbook }) | null;
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
  return {
    runbook,
    status: displayStatus(runbook),
    current: current
      ? { id: current.id, number: current.number, sha256: current.sha256, source: current.source, fileName: current.fileName, changeNote: current.changeNote, authorName: current.authorName, createdAt: current.createdAt, markdown: current.markdown, parsed: current.parsed as ParsedRunbook }
      : null,
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
  const info = (r: typeof a): RevisionInfo => ({ id: r.id, number: r.number, sha256: r.sha256, source: r.source, fileName: r.fileName, changeNote: r.changeNote, authorName: r.authorName, createdAt: r.createdAt });
  return { from: info(a), to: info(b), ...lineDiff(a.markdown, b.markdown) };
}
