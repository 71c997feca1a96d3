import "server-only";
import { and, count, eq, inArray, max, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runbookLinks, runbookRevisions, runbooks, type Runbook, type RunbookRevision } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { ConflictError } from "@/lib/errors";
import { publish } from "@/lib/live";
import { type Link, type ParsedRunbook, PARSER_VERSION, type RunbookDocument } from "@/lib/runbooks/parse";
import { toStored } from "@/lib/runbooks/parse/stored";
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

export type WrittenRevision = { runbook: Runbook; revision: RunbookRevision; pendingCreated: string[]; pendingLinks: number };

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
 * audit entry and announces the change. Few statements: a repository sync writes hundreds.
 */
export async function writeRevision(tx: Db, ctx: Ctx, args: WriteRevisionArgs): Promise<WrittenRevision> {
  const userId = realUserId(ctx);
  const now = new Date();
  const parsed = args.parsed;
  const base = args.existing;
  const revisionId = crypto.randomUUID();
  const fields = {
    title: parsed.title || base?.title || titleFromSlug(args.slug),
    owner: parsed.metadata.owner ?? null,
    summary: parsed.summary ?? base?.summary ?? null,
    alertNames: parsed.metadata.alerts ?? [],
    tags: parsed.metadata.tags ?? [],
    aliases: parsed.metadata.aliases ?? [],
    weight: parsed.metadata.weight ?? null,
    ...(args.commit ? { repositoryId: args.commit.repositoryId, sourcePath: args.commit.path } : {}),
    currentRevisionId: revisionId,
    updatedAt: now,
    updatedBy: userId,
    // New text brings an archived runbook back (its file reappeared, or someone imported it again).
    archivedAt: null,
    archivedBy: null,
    archivedReason: null,
  };
  let runbook: Runbook;
  if (!base) {
    [runbook] = await tx
      .insert(runbooks)
      .values({ ...fields, slug: args.slug, category: args.category ?? null, status: "draft", createdBy: userId })
      .returning();
  } else {
    const expected = args.expectedVersion ?? base.version;
    const [row] = await tx
      .update(runbooks)
      .set({ ...fields, category: args.category ?? base.category, status: base.status === "pending" ? "draft" : base.status, version: base.version + 1 })
      .where(and(eq(runbooks.id, base.id), eq(runbooks.version, expected)))
      .returning();
    if (!row) throw new ConflictError("Someone saved this runbook meanwhile; reload to see their revision, then apply your change again.", { version: base.version });
    runbook = row;
  }
  const [revision] = await tx
    .insert(runbookRevisions)
    .values({
      id: revisionId,
      runbookId: runbook.id,
      number: base ? sql`(select coalesce(max(${runbookRevisions.number}), 0) + 1 from ${runbookRevisions} where ${runbookRevisions.runbookId} = ${runbook.id})` : 1,
      markdown: args.markdown,
      sha256: args.sha256,
      parsed: toStored(parsed),
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

  const { pendingCreated, pendingLinks } = await replaceLinks(tx, ctx, runbook, revision, parsed, !!base);
  // Links elsewhere that waited for this slug now resolve (only a new or pending runbook can have them pending).
  if (!base || base.status === "pending") await tx.update(runbookLinks).set({ pending: false }).where(and(eq(runbookLinks.targetSlug, runbook.slug), eq(runbookLinks.pending, true)));

  const before = base ? { status: base.status, title: base.title, version: base.version, currentRevisionId: base.currentRevisionId, archivedAt: base.archivedAt } : null;
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
      restored: !!base?.archivedAt,
      pendingCreated,
    },
  });
  await publish(tx, RUNBOOKS_CHANNEL, { type: "runbook.revised", id: runbook.id, slug: runbook.slug, revision: revision.number });
  return { runbook, revision, pendingCreated, pendingLinks };
}

async function replaceLinks(tx: Db, ctx: Ctx, runbook: Runbook, revision: RunbookRevision, parsed: ParsedRunbook, hadLinks: boolean): Promise<{ pendingCreated: string[]; pendingLinks: number }> {
  if (hadLinks) await tx.delete(runbookLinks).where(eq(runbookLinks.fromRunbookId, runbook.id));
  const links = runbookLinksOf(parsed, runbook.slug);
  if (!links.length) return { pendingCreated: [], pendingLinks: 0 };
  const slugs = [...new Set(links.map((l) => l.targetSlug))];
  const known = await tx.select({ slug: runbooks.slug, status: runbooks.status }).from(runbooks).where(inArray(runbooks.slug, slugs));
  const status = new Map(known.map((k) => [k.slug, k.status]));
  const userId = realUserId(ctx);
  const missing = new Map<string, Link & { targetSlug: string }>();
  for (const link of links) if (!status.has(link.targetSlug) && !missing.has(link.targetSlug)) missing.set(link.targetSlug, link);
  if (missing.size) {
    await tx
      .insert(runbooks)
      .values(
        [...missing.values()].map((link) => ({
          slug: link.targetSlug,
          title: pendingTitle(link),
          category: link.category,
          summary: link.description?.replace(/^[\s—–-]+/, "").trim() || null,
          status: "pending" as const,
          createdBy: userId,
          updatedBy: userId,
        })),
      )
      .onConflictDoNothing({ target: runbooks.slug });
    for (const slug of missing.keys()) status.set(slug, "pending");
  }
  const rows = links.map((l) => ({
    fromRunbookId: runbook.id,
    fromRevisionId: revision.id,
    targetSlug: l.targetSlug,
    text: l.text,
    href: l.href,
    category: l.category,
    line: l.line,
    pending: status.get(l.targetSlug) === "pending",
  }));
  await tx.insert(runbookLinks).values(rows);
  return { pendingCreated: [...missing.keys()], pendingLinks: rows.filter((r) => r.pending).length };
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
