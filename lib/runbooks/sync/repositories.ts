import "server-only";
import path from "node:path";
import { and, asc, eq, isNotNull, lte } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { runbookRepositories, type RunbookRepository } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";
import { parseInput } from "@/lib/validation";
import { resolveCommit } from "./git";
import { type SyncResult, syncKnownRepository } from "./sync";

// Repositories the library syncs from, as admins set them up: where the checkout is, which
// branch, how often to sync (or only by hand), and how to link a commit on the web.

export const repositorySchema = z.object({
  id: z.string().uuid().optional(),
  name: z.string().trim().min(1, "Give the repository a name.").max(120),
  path: z.string().trim().min(1, "Give the folder of a git checkout on the console's host.").max(1000),
  // Empty optional fields may arrive as "" (a form) or null (a client that echoes a stored value).
  branch: z.string().trim().max(200).nullish().transform((v) => v || null),
  subfolder: z.string().trim().max(500).nullish().transform((v) => (v ? v.replace(/^\/+|\/+$/g, "") : null)),
  scheduleMinutes: z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? null : v),
    z.coerce.number().int().min(5, "Sync at most every 5 minutes.").max(10_080, "Sync at least weekly, or leave empty for by hand only.").nullable(),
  ),
  commitUrlTemplate: z
    .string()
    .trim()
    .max(500)
    .nullish()
    .transform((v) => v || null)
    .refine((v) => v === null || (/^https:\/\/[^\s]+$/.test(v) && v.includes("{commit}")), "Use an https address with {commit} where the commit id goes."),
  version: z.coerce.number().int().positive().optional(),
});

export async function listRepositories(ctx: Ctx): Promise<RunbookRepository[]> {
  requirePermission(ctx.actor, "runbooks.sync");
  return ctx.db.select().from(runbookRepositories).orderBy(asc(runbookRepositories.name));
}

/** Adds or changes a repository (admins); the folder must be a git checkout with that branch. */
export async function saveRepository(ctx: Ctx, input: unknown): Promise<RunbookRepository> {
  requirePermission(ctx.actor, "runbooks.sync");
  const data = parseInput(repositorySchema, input);
  const folder = path.resolve(/* turbopackIgnore: true */ data.path);
  try {
    await resolveCommit(folder, data.branch);
  } catch (error) {
    throw new ValidationError("Some fields need attention.", { path: [error instanceof Error ? error.message : String(error)] });
  }
  const values = {
    name: data.name,
    path: folder,
    branch: data.branch,
    subfolder: data.subfolder,
    scheduleMinutes: data.scheduleMinutes,
    commitUrlTemplate: data.commitUrlTemplate,
    nextSyncAt: data.scheduleMinutes ? new Date() : null,
  };
  return ctx.db.transaction(async (tx) => {
    const clash = await tx.select({ id: runbookRepositories.id }).from(runbookRepositories).where(eq(runbookRepositories.name, data.name));
    if (clash.some((c) => c.id !== data.id)) throw new ValidationError("Some fields need attention.", { name: ["Another repository has this name."] });
    if (!data.id) {
      const [row] = await tx.insert(runbookRepositories).values({ ...values, createdBy: ctx.actor.userId === "system" ? null : ctx.actor.userId }).returning();
      await writeAudit(tx, { actor: ctx.actor, action: "runbook.repository.create", targetType: "runbook_repository", targetId: row.id, after: values });
      return row;
    }
    const [before] = await tx.select().from(runbookRepositories).where(eq(runbookRepositories.id, data.id));
    if (!before) throw new NotFoundError("That repository does not exist.");
    const [row] = await tx
      .update(runbookRepositories)
      .set({ ...values, version: before.version + 1 })
      .where(and(eq(runbookRepositories.id, data.id), eq(runbookRepositories.version, data.version ?? before.version)))
      .returning();
    if (!row) throw new ConflictError("Someone changed this repository meanwhile; reload and try again.", { version: before.version });
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "runbook.repository.update",
      targetType: "runbook_repository",
      targetId: row.id,
      before: { name: before.name, path: before.path, branch: before.branch, subfolder: before.subfolder, scheduleMinutes: before.scheduleMinutes, commitUrlTemplate: before.commitUrlTemplate },
      after: values,
    });
    return row;
  });
}

/** Syncs one repository now (admins). */
export async function syncRepositoryNow(ctx: Ctx, input: unknown): Promise<SyncResult> {
  requirePermission(ctx.actor, "runbooks.sync");
  const { id } = parseInput(z.object({ id: z.string().uuid() }), input);
  const [repo] = await ctx.db.select().from(runbookRepositories).where(eq(runbookRepositories.id, id));
  if (!repo) throw new NotFoundError("That repository does not exist.");
  return syncKnownRepository(ctx, repo);
}

/**
 * Runs the scheduled syncs that are due. Each is claimed in one statement (moving its next time
 * on), so with several console instances each repository syncs once per period.
 */
export async function runDueSyncs(db: Db, now = new Date()): Promise<number> {
  const due = await db
    .select()
    .from(runbookRepositories)
    .where(and(isNotNull(runbookRepositories.scheduleMinutes), lte(runbookRepositories.nextSyncAt, now)));
  let ran = 0;
  for (const repo of due) {
    const next = new Date(now.getTime() + repo.scheduleMinutes! * 60_000);
    const [claimed] = await db
      .update(runbookRepositories)
      .set({ nextSyncAt: next })
      .where(and(eq(runbookRepositories.id, repo.id), lte(runbookRepositories.nextSyncAt, now)))
      .returning();
    if (!claimed) continue;
    try {
      await syncKnownRepository({ actor: systemActor(), db }, claimed);
      ran += 1;
    } catch (error) {
      log.warn("runbook_scheduled_sync_failed", { repository: repo.name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return ran;
}

const globalForSync = globalThis as unknown as { __sitrepRunbookSync?: NodeJS.Timeout };

/** Start hook: checks for due repository syncs every 30 s. */
export function startScheduledSyncs(db: Db): void {
  if (globalForSync.__sitrepRunbookSync) return;
  let running = false;
  globalForSync.__sitrepRunbookSync = setInterval(() => {
    if (running) return;
    running = true;
    runDueSyncs(db)
      .catch((error) => log.warn("runbook_scheduled_sync_failed", { error: String(error) }))
      .finally(() => {
        running = false;
      });
  }, 30_000);
  globalForSync.__sitrepRunbookSync.unref();
}
