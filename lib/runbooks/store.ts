import "server-only";
import { and, count, eq, inArray, max, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookLinks, runbookRevisions, runbooks, type Runbook, type RunbookRevision } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { ConflictError } from "@/lib/errors";
import { publish } from "@/lib/live";
import { type Link, type ParsedRunbook, PARSER_VERSION, type RunbookDocument } from "@/lib/runbooks/parse";
import { titleFromSlug } from "./slug";

export const RUNBOOKS_CHANNEL = "runbooks";

export type RevisionSource = "import" | "edit" | "create" | "sync";

/** Where a synced revision came from in git. */
export type CommitInfo = { repositoryId: string; path: string; commitId: string; author: string; date: Date };

export type WriteRevisionArgs = {
  /** The row for this slug if there is one (a pending entry or an existing runbook). */
  existing: Runbook | undefined;
  slug: string;
  markdown: string;
  sha256: string;
  parsed: ParsedRunbook;
  /** The document rendered on write; null only for callers that parsed without the worker (tests). */
  document: RunbookDocument | null;
  source: RevisionSource;
  commit?: CommitInfo;
  fileName?: string;
  changeNote?: string;
  category?: string;
  /** Optimistic concurrency: the version the author saw (edits); imports pass the row's own. */
  expectedVersion?: number;
};

export type WrittenRevision = { runbook: Runbook; revision: RunbookRevision; pendingCreated: string[] };

export function realUserId(ctx: Ctx): string | null {
  return ctx.actor.userId === "system" ? null : ctx.actor.userId;
}

export async function findRunbookBySlug(db: Db, slug: string): Promise<Runbook | undefined> {
  const [row] = await db.select().from(runbooks).where(eq(runbooks.slug, slug)).limit(1);
  return row;
}

export async function findRevision(db: Db, id: string | null): Promise<RunbookRevision | undefined> {
  if (!id) return undefined;
  const [row] = await db.select().from(runbookRevisions).where(eq(runbookRevisions.id, id)).limit(1);
  return row;
}

/** What an unchanged import reports, read without loading the whole stored structure. */
export type StoredCounts = Pick<ParsedRunbook, "links" | "warnings"> & { steps: number; placeholders: number; checklists: number; tables: number };

/** The counts an unchanged import reports, read from the stored structure without loading it whole. */
export function sqlCounts(p: typeof runbookRevisions.parsed) {
  return sql<StoredCounts>`jsonb_build_object(
    'steps', jsonb_array_length(${p} -> 'steps'), 'placeholders', jsonb_array_length(${p} -> 'placeholders'),
    'checklists', jsonb_array_length(${p} -> 'checklists'), 'tables', jsonb_array_length(${p} -> 'tables'),
    'links', ${p} -> 'links', 'warnings', ${p} -> 'warnings')`;
}

export async function countPendingLinks(db: Db, runbookId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(runbookLinks).where(and(eq(runbookLinks.fromRunbookId, runbookId), eq(runbookLinks.pending, true)));
  return Number(row?.n ?? 0);
}

/** Links that point at other runbooks (not documents, anchors or web pages). */
export function runbookLinksOf(parsed: Pick<ParsedRunbook, "links">, ownSlug: string): Array<Link & { targetSlug: string }> {
  return parsed.links.filter(
    (l): l is Link & { targetSlug: string } => l.kind === "runbook" && !!l.targetSlug && l.targetSlug !== ownSlug,
  );
}

/**
 * Inside the caller's transaction: adds a revision (creating the runbook row if needed), makes it
 * current, turns a pending entry into a draft, replaces the runbook's links (creating pending
 * entries for targets that do not exist), resolves links that pointed at this slug, writes the
 * audit entry and announces the change.
 */
export async function writeRevision(tx: Db, ctx: Ctx, args: WriteRevisionArgs): Promise<WrittenRevision> {
  const userId = realUserId(ctx);
  const now = new Date();
  let base = args.existing;
  if (!base) {
    [base] = await tx
      .insert(runbooks)
      .values({
        slug: args.slug,
        title: args.parsed.title || titleFromSlug(args.slug),
        category: args.category ?? null,
        status: "draft",
        createdBy: userId,
        updatedBy: userId,
        ...(args.commit ? { repositoryId: args.commit.repositoryId, sourcePath: args.commit.path } : {}),
      })
      .returning();
  }
  const [{ last }] = await tx.select({ last: max(runbookRevisions.number) }).from(runbookRevisions).where(eq(runbookRevisions.runbookId, base.id));
  const [revision] = await tx
    .insert(runbookRevisions)
    .values({
      runbookId: base.id,
      number: (last ?? 0) + 1,
      markdown: args.markdown,
      sha256: args.sha256,
      parsed: args.parsed,
      document: args.document,
      parserVersion: PARSER_VERSION,
      ...(args.commit ? { commitId: args.commit.commitId, commitAuthor: args.commit.author, commitDate: args.commit.date, sourcePath: args.commit.path } : {}),
      fileName: args.fileName ?? null,
      changeNote: args.changeNote ?? null,
      source: args.source,
      authorId: userId,
      authorName: ctx.actor.name,
    })
    .returning();
  const expected = args.expectedVersion ?? base.version;
  const [runbook] = await tx
    .update(runbooks)
    .set({
      title: args.parsed.title || base.title,
      owner: args.parsed.metadata.owner ?? null,
      category: args.category ?? base.category,
      summary: args.parsed.summary ?? base.summary,
      alertNames: args.parsed.metadata.alerts ?? [],
      tags: args.parsed.metadata.tags ?? [],
      aliases: args.parsed.metadata.aliases ?? [],
      weight: args.parsed.metadata.weight ?? null,
      ...(args.commit ? { repositoryId: args.commit.repositoryId, sourcePath: args.commit.path } : {}),
      // New text brings an archived runbook back (its file reappeared, or someone imported it again).
      archivedAt: null,
      archivedBy: null,
      archivedReason: null,
      status: base.status === "pending" ? "draft" : base.status,
      currentRevisionId: revision.id,
      version: base.version + 1,
      updatedAt: now,
      updatedBy: userId,
    })
    .where(and(eq(runbooks.id, base.id), eq(runbooks.version, expected)))
    .returning();
  if (!runbook) throw new ConflictError("Someone saved this runbook meanwhile; reload to see their revision, then apply your change again.", { version: base.version });

  const pendingCreated = await replaceLinks(tx, ctx, runbook, revision, args.parsed);
  await tx.update(runbookLinks).set({ pending: false }).where(eq(runbookLinks.targetSlug, runbook.slug));

  const before = args.existing
    ? { status: args.existing.status, title: args.existing.title, version: args.existing.version, currentRevisionId: args.existing.currentRevisionId, archivedAt: args.existing.archivedAt }
    : null;
  await writeAudit(tx, {
    actor: ctx.actor,
    action: `runbook.${args.source === "import" || args.source === "sync" ? args.source : args.source === "create" ? "create" : "revise"}`,
    targetType: "runbook",
    targetId: runbook.id,
    before,
    after: {
      slug: runbook.slug,
      title: runbook.title,
      status: runbook.status,
      version: runbook.version,
      revision: revision.number,
      revisionId: revision.id,
      sha256: revision.sha256,
      fileName: revision.fileName,
      changeNote: revision.changeNote,
      ...(args.commit ? { commitId: args.commit.commitId, path: args.commit.path } : {}),
      restored: !!args.existing?.archivedAt,
      pendingCreated,
    },
  });
  await publish(tx, RUNBOOKS_CHANNEL, { type: "runbook.revised", id: runbook.id, slug: runbook.slug, revision: revision.number });
  return { runbook, revision, pendingCreated };
}

async function replaceLinks(tx: Db, ctx: Ctx, runbook: Runbook, revision: RunbookRevision, parsed: ParsedRunbook): Promise<string[]> {
  await tx.delete(runbookLinks).where(eq(runbookLinks.fromRunbookId, runbook.id));
  const links = runbookLinksOf(parsed, runbook.slug);
  if (!links.length) return [];
  const slugs = [...new Set(links.map((l) => l.targetSlug))];
  const known = await tx.select({ slug: runbooks.slug, status: runbooks.status }).from(runbooks).where(inArray(runbooks.slug, slugs));
  const status = new Map(known.map((k) => [k.slug, k.status]));
  const pendingCreated: string[] = [];
  const userId = realUserId(ctx);
  for (const link of links) {
    if (status.has(link.targetSlug)) continue;
    await tx
      .insert(runbooks)
      .values({
        slug: link.targetSlug,
        title: pendingTitle(link),
        category: link.category,
        summary: link.description?.replace(/^[\s—–-]+/, "").trim() || null,
        status: "pending",
        createdBy: userId,
        updatedBy: userId,
      })
      .onConflictDoNothing({ target: runbooks.slug });
    status.set(link.targetSlug, "pending");
    pendingCreated.push(link.targetSlug);
  }
  await tx.insert(runbookLinks).values(
    links.map((l) => ({
      fromRunbookId: runbook.id,
      fromRevisionId: revision.id,
      targetSlug: l.targetSlug,
      text: l.text,
      href: l.href,
      category: l.category,
      line: l.line,
      pending: status.get(l.targetSlug) === "pending",
    })),
  );
  return pendingCreated;
}

/**
 * A pending entry is titled as the author wrote it: the link text, or the file name without its
 * extension (`oauth-outage.md` → "oauth-outage"), never a made-up capitalisation.
 */
function pendingTitle(link: Link & { targetSlug: string }): string {
  const text = link.text.trim().replace(/^`|`$/g, "");
  const file = link.href.replace(/[?#].*$/, "").split("/").pop() ?? "";
  if (!text || /\.(md|markdown|mdx|txt)$/i.test(text)) return (text || file).replace(/\.(md|markdown|mdx|txt)$/i, "") || link.targetSlug;
  return text;
}
