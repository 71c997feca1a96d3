import "server-only";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { runbookRepositories, runbooks, type RunbookRepository } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { log } from "@/lib/log";
import { parseInput } from "@/lib/validation";
import { archiveInTx } from "../archive";
import { importRunbooks, type ImportFile, type ImportResult } from "../import";
import { blobsAt, type Change, diffMarkdown, isAncestor, lastCommitsFor, listMarkdown, readBlobs, resolveCommit } from "./git";

// Sync from a git checkout: the first sync imports every markdown file; later ones only what
// changed since the last synced commit. Renames keep their runbook (and history), deleted files
// archive theirs, and every revision records the commit that last changed its file.

export const syncSchema = z.object({
  path: z.string().trim().min(1, "Give the folder of a git checkout.").max(1000),
  branch: z.string().trim().max(200).optional().transform((v) => v || null),
  name: z.string().trim().max(120).optional(),
  subfolder: z.string().trim().max(500).optional().transform((v) => (v ? v.replace(/^\/+|\/+$/g, "") : null)),
});

export type SyncFileProblem = { file: string; error: string };
export type SyncResult = {
  repository: string;
  path: string;
  branch: string | null;
  fromCommit: string | null;
  toCommit: string;
  full: boolean;
  created: number;
  updated: number;
  unchanged: number;
  renamed: Array<{ from: string; to: string; slug: string }>;
  archived: Array<{ path: string; slug: string }>;
  failed: SyncFileProblem[];
  /** Submodules are other repositories: listed, not followed. */
  skippedSubmodules: string[];
  /** Symbolic links to markdown: the file they name imports under its own path (old results lack it). */
  skippedSymlinks?: string[];
  warnings: number;
  files: ImportResult[];
};

const BATCH = 100;

/** Finds the repository row for a checkout (folder + branch), creating it on first sync. */
async function repositoryFor(ctx: Ctx, data: z.output<typeof syncSchema>): Promise<RunbookRepository> {
  const folder = path.resolve(/* turbopackIgnore: true */ data.path);
  const rows = await ctx.db.select().from(runbookRepositories).where(eq(runbookRepositories.path, folder));
  const match = rows.find((r) => r.branch === data.branch);
  if (match) return match;
  const name = data.name || `${path.basename(folder)}${data.branch ? `@${data.branch}` : ""}`;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(runbookRepositories)
      .values({ name, path: folder, branch: data.branch, subfolder: data.subfolder, createdBy: ctx.actor.userId === "system" ? null : ctx.actor.userId })
      .returning();
    await writeAudit(tx, { actor: ctx.actor, action: "runbook.repository.create", targetType: "runbook_repository", targetId: row.id, after: { name, path: folder, branch: data.branch, subfolder: data.subfolder } });
    return row;
  });
}

/** Syncs one checkout (see the module comment). Per-file problems are reported; the rest goes in. */
export async function syncRepository(ctx: Ctx, input: unknown): Promise<SyncResult> {
  requirePermission(ctx.actor, "runbooks.sync");
  const data = parseInput(syncSchema, input);
  const repo = await repositoryFor(ctx, data);
  return syncKnownRepository(ctx, repo);
}

export async function syncKnownRepository(ctx: Ctx, repo: RunbookRepository): Promise<SyncResult> {
  requirePermission(ctx.actor, "runbooks.sync");
  try {
    const result = await runSync(ctx, repo);
    await recordResult(ctx, repo, result, null);
    return result;
  } catch (error) {
    await recordResult(ctx, repo, null, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

async function runSync(ctx: Ctx, repo: RunbookRepository): Promise<SyncResult> {
  const head = await resolveCommit(repo.path, repo.branch);
  const incremental = !!repo.lastCommit && repo.lastCommit !== head && (await isAncestor(repo.path, repo.lastCommit, head));
  const { files: tree, submodules, symlinks } = await listMarkdown(repo.path, head, repo.subfolder);
  let changes: Change[];
  if (repo.lastCommit === head) changes = [];
  else if (incremental) changes = await diffMarkdown(repo.path, repo.lastCommit!, head, repo.subfolder);
  else changes = tree.map((f) => ({ status: "A" as const, path: f.path }));
  const result: SyncResult = {
    repository: repo.name,
    path: repo.path,
    branch: repo.branch,
    fromCommit: repo.lastCommit,
    toCommit: head,
    full: !incremental && repo.lastCommit !== head,
    created: 0,
    updated: 0,
    unchanged: 0,
    renamed: [],
    archived: [],
    failed: [],
    skippedSubmodules: submodules,
    skippedSymlinks: symlinks,
    warnings: 0,
    files: [],
  };
  const owned = await ctx.db.select().from(runbooks).where(eq(runbooks.repositoryId, repo.id));
  const byPath = new Map(owned.filter((r) => r.sourcePath).map((r) => [r.sourcePath!, r]));

  // Renames first: the runbook follows its file, so the new path's content lands on it.
  for (const change of changes.filter((c) => c.status === "R")) {
    const runbook = byPath.get(change.oldPath!);
    if (!runbook) {
      change.status = "A";
      continue;
    }
    await ctx.db.transaction(async (tx) => {
      await tx.update(runbooks).set({ sourcePath: change.path, version: runbook.version + 1, updatedAt: new Date() }).where(eq(runbooks.id, runbook.id));
      await writeAudit(tx, { actor: ctx.actor, action: "runbook.rename", targetType: "runbook", targetId: runbook.id, before: { path: change.oldPath }, after: { path: change.path, repository: repo.name, commit: head } });
    });
    byPath.delete(change.oldPath!);
    byPath.set(change.path, { ...runbook, sourcePath: change.path, version: runbook.version + 1 });
    result.renamed.push({ from: change.oldPath!, to: change.path, slug: runbook.slug });
  }

  // A full sync also archives runbooks whose file is gone (the last synced commit may be unknown).
  const present = new Set(tree.map((f) => f.path));
  const deleted = incremental ? changes.filter((c) => c.status === "D").map((c) => c.path) : [...byPath.keys()].filter((p) => !present.has(p));
  for (const gone of deleted) {
    const runbook = byPath.get(gone);
    if (!runbook || runbook.archivedAt) continue;
    await ctx.db.transaction(async (tx) => {
      const [fresh] = await tx.select().from(runbooks).where(eq(runbooks.id, runbook.id));
      if (fresh && !fresh.archivedAt) await archiveInTx(tx, ctx.actor, fresh, `${gone} was deleted from ${repo.name} (commit ${head.slice(0, 12)})`);
    });
    result.archived.push({ path: gone, slug: runbook.slug });
  }

  const wanted = changes.filter((c) => c.status !== "D").map((c) => c.path);
  const blobIds = incremental ? await blobsAt(repo.path, head, wanted) : new Map(tree.map((f) => [f.path, f.blob]));
  const commits = await lastCommitsFor(repo.path, head, wanted, null);
  for (let i = 0; i < wanted.length; i += BATCH) {
    const paths = wanted.slice(i, i + BATCH).filter((p) => blobIds.has(p));
    const blobs = await readBlobs(repo.path, paths.map((p) => blobIds.get(p)!));
    const files: ImportFile[] = paths.map((p) => {
      const meta = commits.get(p) ?? { commitId: head, author: "unknown", date: new Date() };
      return {
        name: p,
        bytes: new Uint8Array(blobs.get(blobIds.get(p)!) ?? Buffer.alloc(0)),
        ...(byPath.get(p) ? { runbookId: byPath.get(p)!.id } : {}),
        commit: { repositoryId: repo.id, path: p, commitId: meta.commitId, author: meta.author, date: meta.date },
      };
    });
    const imported = await importRunbooks(ctx, files);
    for (const r of imported) {
      result.files.push(r);
      if (r.status === "error") result.failed.push({ file: r.file, error: r.error });
      else {
        result[r.status] += 1;
        result.warnings += r.warnings.length;
      }
    }
  }
  return result;
}

async function recordResult(ctx: Ctx, repo: RunbookRepository, result: SyncResult | null, error: string | null): Promise<void> {
  const now = new Date();
  const summary = result
    ? { commit: result.toCommit, fromCommit: result.fromCommit, full: result.full, created: result.created, updated: result.updated, unchanged: result.unchanged, renamed: result.renamed, archived: result.archived, failed: result.failed.slice(0, 100), skippedSubmodules: result.skippedSubmodules, skippedSymlinks: result.skippedSymlinks, warnings: result.warnings }
    : null;
  try {
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(runbookRepositories)
        .set({
          ...(result ? { lastCommit: result.toCommit, lastResult: summary } : {}),
          lastError: error,
          lastSyncedAt: now,
          nextSyncAt: repo.scheduleMinutes ? new Date(now.getTime() + repo.scheduleMinutes * 60_000) : null,
          version: repo.version + 1,
        })
        .where(eq(runbookRepositories.id, repo.id));
      await writeAudit(tx, { actor: ctx.actor, action: error ? "runbook.repository.sync_failed" : "runbook.repository.sync", targetType: "runbook_repository", targetId: repo.id, after: summary ?? { error } });
    });
  } catch (writeError) {
    log.error("runbook_sync_record_failed", { repository: repo.id, error: String(writeError) });
  }
}

/** Runbooks of a repository by path (for tests and the admin page). */
export async function runbooksOfRepository(ctx: Ctx, repositoryId: string) {
  requirePermission(ctx.actor, "runbooks.read");
  return ctx.db.select({ slug: runbooks.slug, sourcePath: runbooks.sourcePath, archivedAt: runbooks.archivedAt }).from(runbooks).where(and(eq(runbooks.repositoryId, repositoryId), inArray(runbooks.status, ["draft", "validated"])));
}
