import "server-only";
import { and, count, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgInsertValue } from "drizzle-orm/pg-core";
import { type Db, rowsOf } from "@/db/client";
import { builderCtes, type Cte, withCtes } from "@/db/ctes";
import { runbookLinks, runbookRevisions, runbooks, type Runbook, type RunbookRevision } from "@/db/schema";
import { type AuditHead, auditHeadOf, carryAuditEntries, LOCKED_AUDIT_HEAD } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { ConflictError } from "@/lib/errors";
import { notifications } from "@/lib/live";
import { type Link, type ParsedRunbook, PARSER_VERSION } from "@/lib/runbooks/parse";
import { bodyOf, type PreparedRevision, type RevisionHead, type StagedRevision } from "@/lib/runbooks/parse/prepared";
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
  /** The parse as the worker prepares it for storing (`parse/prepared.ts`); its body may still be on its way. */
  prepared: PreparedRevision | StagedRevision;
  source: RevisionSource;
  commit?: CommitInfo;
  fileName?: string;
  changeNote?: string;
  category?: string;
  /** Optimistic concurrency: the version the author saw (edits); imports pass the row's own. */
  expectedVersion?: number;
};

export type WrittenRevisionRow = Pick<RunbookRevision, "id" | "number" | "sha256" | "fileName" | "changeNote">;
export type WrittenRevision = { runbook: Runbook; revision: WrittenRevisionRow; pendingCreated: string[]; pendingLinks: number };

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

/** The counts an unchanged import reports, from the revision's outline. */
export function sqlCounts(outline: typeof runbookRevisions.outline) {
  return sql<StoredCounts>`(${outline} -> 'counts') || jsonb_build_object('links', ${outline} -> 'links', 'warnings', ${outline} -> 'warnings')`;
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
  const [written] = await writeRevisions(tx, ctx, [args]);
  return written;
}

/** Rows per statement, and text per revision insert: a statement stays short on the embedded database's event loop. */
const ROWS_PER_STATEMENT = 500;
const REVISION_BYTES_PER_STATEMENT = 256 * 1024;

/**
 * `writeRevision` for several runbooks at once (each slug and runbook at most once), in a fixed
 * number of statements whatever their number: multi-row inserts of runbooks, revisions, links,
 * pending entries and audit entries (with the notifications). Updates of existing runbooks
 * keep their own optimistic version check. The outcome is the one of writing them one by one,
 * except that a link to a runbook written in the same call is never pending, not even briefly.
 *
 * Runbook rows and links need only each parse's head; the revisions wait for the bodies, which the
 * parse worker may still be serialising meanwhile (`StagedRevision`). A file imported or edited on
 * its own costs two statements: the update with its links, then the revision with its audit entry.
 */
export async function writeRevisions(tx: Db, ctx: Ctx, list: WriteRevisionArgs[]): Promise<WrittenRevision[]> {
  if (list.length === 0) return [];
  const slugs = new Set(list.map((a) => a.slug));
  const ids = new Set(list.flatMap((a) => (a.existing ? [a.existing.id] : [])));
  if (slugs.size !== list.length || ids.size !== list.filter((a) => a.existing).length) throw new Error("writeRevisions: each runbook at most once per call");
  const userId = realUserId(ctx);
  const now = new Date();
  const plans = list.map((args) => {
    const head = args.prepared.head;
    const base = args.existing;
    const revisionId = crypto.randomUUID();
    const fields = {
      title: head.title || base?.title || titleFromSlug(args.slug),
      owner: head.metadata.owner ?? null,
      summary: head.summary ?? base?.summary ?? null,
      alertNames: head.metadata.alerts ?? [],
      tags: head.metadata.tags ?? [],
      aliases: head.metadata.aliases ?? [],
      weight: head.metadata.weight ?? null,
      ...(args.commit ? { repositoryId: args.commit.repositoryId, sourcePath: args.commit.path } : {}),
      currentRevisionId: revisionId,
      updatedAt: now,
      updatedBy: userId,
      // New text brings an archived runbook back (its file reappeared, or someone imported it again).
      archivedAt: null,
      archivedBy: null,
      archivedReason: null,
    };
    return { args, base, revisionId, fields };
  });

  const runbookOf = new Map<string, Runbook>();
  const fresh = plans.filter((p) => !p.base);
  for (let i = 0; i < fresh.length; i += ROWS_PER_STATEMENT) {
    const rows = await tx
      .insert(runbooks)
      .values(fresh.slice(i, i + ROWS_PER_STATEMENT).map((p) => ({ ...p.fields, slug: p.args.slug, category: p.args.category ?? null, status: "draft" as const, createdBy: userId })))
      .returning();
    for (const row of rows) runbookOf.set(row.slug, row);
  }

  // Every runbook's id and revision id are known by now: the links can go with the first update.
  const linkSources: LinkSource[] = plans.map((p) => ({ runbook: p.base ?? runbookOf.get(p.args.slug)!, revisionId: p.revisionId, head: p.args.prepared.head, hadLinks: !!p.base }));
  // Links elsewhere that waited for these slugs now resolve (only a new or pending runbook can have them pending).
  const resolving = plans.filter((p) => !p.base || p.base.status === "pending").map((p) => p.args.slug);
  const links = linksStatement(ctx, linkSources, resolving);
  let linked: LinkResult | null = null;

  // Each update returns its runbook's next revision number, read under the row's lock. If a
  // version check fails, the update returns nothing and the ConflictError rolls the rest back too.
  const numberOf = new Map<string, number>();
  for (const p of plans) {
    const base = p.base;
    if (!base) continue;
    const nextNumber = sql<number>`(select coalesce(max(${runbookRevisions.number}), 0) + 1 from ${runbookRevisions} where ${runbookRevisions.runbookId} = ${base.id})`;
    const expected = p.args.expectedVersion ?? base.version;
    const values = { ...p.fields, category: p.args.category ?? base.category, status: base.status === "pending" ? ("draft" as const) : base.status, version: base.version + 1 };
    const where = and(eq(runbooks.id, base.id), eq(runbooks.version, expected));
    let row: Runbook | undefined;
    if (links && !linked) {
      const [updated] = await tx
        .with(...builderCtes(tx, links.ctes))
        .update(runbooks)
        .set(values)
        .where(where)
        .returning({ ...getTableColumns(runbooks), nextNumber, known: links.select.known, head: links.select.head });
      if (updated) {
        const { nextNumber: next, known, head, ...rest } = updated;
        linked = links.read(known, head);
        numberOf.set(rest.id, Number(next));
        row = rest;
      }
    } else {
      const [updated] = await tx.update(runbooks).set(values).where(where).returning({ ...getTableColumns(runbooks), nextNumber });
      if (updated) {
        const { nextNumber: next, ...rest } = updated;
        numberOf.set(rest.id, Number(next));
        row = rest;
      }
    }
    if (!row) throw new ConflictError("Someone saved this runbook meanwhile; reload to see their revision, then apply your change again.", { version: base.version });
    runbookOf.set(row.slug, row);
  }
  if (links && !linked) {
    const [row] = rowsOf<{ known: string | null; head: string | null }>(await tx.execute(sql`with ${withCtes(links.ctes)} select ${links.select.known} as known, ${links.select.head} as head`));
    linked = links.read(row.known, row.head);
  }
  const linkCounts = linked?.links ?? plans.map(() => ({ pendingCreated: [], pendingLinks: 0 }));

  const written = plans.map((p) => {
    const runbook = runbookOf.get(p.args.slug)!;
    const revision: WrittenRevisionRow = { id: p.revisionId, number: numberOf.get(runbook.id) ?? 1, sha256: p.args.sha256, fileName: p.args.fileName ?? null, changeNote: p.args.changeNote ?? null };
    return { runbook, revision, p };
  });
  const audit = await carryAuditEntries(
    tx,
    written.map(({ runbook, revision, p }, i) => {
      const { args, base } = p;
      const before = base ? { status: base.status, title: base.title, version: base.version, currentRevisionId: base.currentRevisionId, archivedAt: base.archivedAt } : null;
      return {
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
          pendingCreated: linkCounts[i].pendingCreated,
        },
      };
    }),
    notifications(
      RUNBOOKS_CHANNEL,
      written.map(({ runbook, revision }) => ({ type: "runbook.revised", id: runbook.id, slug: runbook.slug, revision: revision.number })),
    ),
    linked?.auditHead ?? null,
  );

  // The revisions: the bodies have usually arrived by now.
  const bodies = await Promise.all(plans.map((p) => bodyOf(p.args.prepared)));
  await insertRevisions(
    tx,
    written.map(({ runbook, revision, p }, i) => ({
      id: revision.id,
      runbookId: runbook.id,
      number: revision.number,
      markdown: p.args.markdown,
      sha256: p.args.sha256,
      // Serialised and deflated by the parse worker: passed as they are, not encoded again.
      parsed: sql`${bodies[i].stored}`,
      outline: sql`${p.args.prepared.outlineJson}::jsonb`,
      document: bodies[i].document === null ? null : sql`${bodies[i].document}`,
      parserVersion: PARSER_VERSION,
      ...(p.args.commit ? { commitId: p.args.commit.commitId, commitAuthor: p.args.commit.author, commitDate: p.args.commit.date, sourcePath: p.args.commit.path } : {}),
      fileName: revision.fileName,
      changeNote: revision.changeNote,
      source: p.args.source,
      authorId: userId,
      authorName: ctx.actor.name,
    })),
    written.map(({ p }, i) => p.args.markdown.length + bodies[i].stored.byteLength + p.args.prepared.outlineJson.length + (bodies[i].document?.byteLength ?? 0)),
    audit,
  );
  return written.map(({ runbook, revision }, i) => ({ runbook, revision, ...linkCounts[i] }));
}

/**
 * Revision rows in statements of at most REVISION_BYTES_PER_STATEMENT of text (and
 * ROWS_PER_STATEMENT rows); the last statement carries `last` (the audit entries and the
 * notifications) and reads its `done` so all of it runs.
 */
async function insertRevisions(tx: Db, rows: PgInsertValue<typeof runbookRevisions>[], bytes: number[], last: { ctes: Cte[]; done: SQL }): Promise<void> {
  const chunks: Array<typeof rows> = [];
  let chunkBytes = 0;
  rows.forEach((row, i) => {
    const chunk = chunks[chunks.length - 1];
    if (!chunk || chunkBytes + bytes[i] > REVISION_BYTES_PER_STATEMENT || chunk.length >= ROWS_PER_STATEMENT) {
      chunks.push([row]);
      chunkBytes = bytes[i];
    } else {
      chunk.push(row);
      chunkBytes += bytes[i];
    }
  });
  for (const [i, chunk] of chunks.entries()) {
    if (i < chunks.length - 1) await tx.insert(runbookRevisions).values(chunk);
    else await tx.with(...builderCtes(tx, last.ctes)).insert(runbookRevisions).values(chunk).returning({ done: last.done });
  }
}

type LinkSource = { runbook: Runbook; revisionId: string; head: Pick<RevisionHead, "links">; hadLinks: boolean };

type LinkCounts = { pendingCreated: string[]; pendingLinks: number };

type LinkResult = { links: LinkCounts[]; auditHead: AuditHead | null };

/** The links statement's parts: its CTEs, the columns to select after them, and how to read those. */
type LinksStatement = { ctes: Cte[]; select: { known: SQL<string | null>; head: SQL<string | null> }; read: (known: string | null, head: string | null) => LinkResult };

/**
 * The CTEs that replace the links of each runbook, create pending entries for targets that do not
 * exist (reported by the first runbook naming them), and resolve links elsewhere that waited for
 * the `resolving` slugs; JSON parameters keep them one statement whatever the number of rows. They
 * also take the audit chain's lock for the entries written next (`auditHead`; null when there is
 * no chain yet). Null when there is nothing to write. The runbooks of `sources` count as written,
 * never pending, even where the statement runs before their own update.
 */
function linksStatement(ctx: Ctx, sources: LinkSource[], resolving: string[]): LinksStatement | null {
  const replaced = sources.filter((s) => s.hadLinks).map((s) => s.runbook.id);
  const linksOf = sources.map((s) => runbookLinksOf(s.head, s.runbook.slug));
  const targets = new Map<string, Link & { targetSlug: string }>();
  for (const links of linksOf) for (const link of links) if (!targets.has(link.targetSlug)) targets.set(link.targetSlug, link);
  if (!replaced.length && !targets.size && !resolving.length) return null;
  const userId = realUserId(ctx);
  const written = sources.map((s) => s.runbook.slug);
  const targetRows = [...targets.values()].map((link) => ({
    slug: link.targetSlug,
    title: pendingTitle(link),
    category: link.category ?? null,
    summary: link.description?.replace(/^[\s—–-]+/, "").trim() || null,
  }));
  const linkRows = sources.flatMap((s, i) =>
    linksOf[i].map((l) => ({ from_runbook_id: s.runbook.id, from_revision_id: s.revisionId, target_slug: l.targetSlug, text: l.text, href: l.href, category: l.category ?? null, line: l.line })),
  );
  // `= any(array(…))`: the array is computed once, and the indexes on the link columns still serve.
  const ids = (list: string[]) => sql`any(array(select (jsonb_array_elements_text(${JSON.stringify(list)}::jsonb))::uuid))`;
  const texts = (list: string[]) => sql`any(array(select jsonb_array_elements_text(${JSON.stringify(list)}::jsonb)))`;
  // Each CTE sees the tables as they were before the statement: a link deleted here is never also
  // resolved here (that would change one row twice), and the inserted links take their targets'
  // state from `known` (runbooks created earlier in this transaction are there).
  const ctes: Cte[] = [
    ["targets", sql`select * from jsonb_to_recordset(${JSON.stringify(targetRows)}::jsonb) as t(slug text, title text, category text, summary text)`],
    ["known", sql`select ${runbooks.slug} as slug, (${runbooks.status} = 'pending' and not ${runbooks.slug} = ${texts(written)}) as pending from ${runbooks} where ${runbooks.slug} = any(array(select slug from targets))`],
    [
      "created",
      sql`insert into ${runbooks} (slug, title, category, summary, status, created_by, updated_by)
      select t.slug, t.title, t.category, t.summary, 'pending', ${userId}::uuid, ${userId}::uuid from targets t
      where not exists (select 1 from known k where k.slug = t.slug)
      on conflict (slug) do nothing`,
    ],
    ["gone", sql`delete from ${runbookLinks} where ${runbookLinks.fromRunbookId} = ${ids(replaced)}`],
    [
      "resolved",
      sql`update ${runbookLinks} set pending = false
      where ${runbookLinks.pending} and ${runbookLinks.targetSlug} = ${texts(resolving)} and not ${runbookLinks.fromRunbookId} = ${ids(replaced)}`,
    ],
    [
      "inserted",
      sql`insert into ${runbookLinks} (from_runbook_id, from_revision_id, target_slug, text, href, category, line, pending)
      select l.from_runbook_id, l.from_revision_id, l.target_slug, l.text, l.href, l.category, l.line,
             coalesce((select k.pending from known k where k.slug = l.target_slug), true)
      from jsonb_to_recordset(${JSON.stringify(linkRows)}::jsonb)
        as l(from_runbook_id uuid, from_revision_id uuid, target_slug text, text text, href text, category text, line integer)`,
    ],
    ["head", LOCKED_AUDIT_HEAD],
  ];
  const read = (known: string | null, head: string | null): LinkResult => {
    const out: LinkCounts[] = sources.map(() => ({ pendingCreated: [], pendingLinks: 0 }));
    const pending = new Map((JSON.parse(known ?? "[]") as Array<{ slug: string; pending: boolean }>).map((r) => [r.slug, r.pending]));
    linksOf.forEach((links, i) => {
      for (const link of links) {
        if (!pending.has(link.targetSlug)) {
          pending.set(link.targetSlug, true);
          out[i].pendingCreated.push(link.targetSlug);
        }
        if (pending.get(link.targetSlug)) out[i].pendingLinks += 1;
      }
    });
    return { links: out, auditHead: auditHeadOf(head) };
  };
  return {
    ctes,
    select: {
      known: sql<string | null>`(select json_agg(json_build_object('slug', slug, 'pending', pending)) from known)::text`,
      head: sql<string | null>`(select row_to_json(head) from head)::text`,
    },
    read,
  };
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
