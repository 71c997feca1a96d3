import "server-only";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { runbooks, type Runbook } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { publish } from "@/lib/live";
import { parseInput } from "@/lib/validation";
import { RUNBOOKS_CHANNEL } from "./store";
import { SLUG_PATTERN } from "./slug";

// Archiving hides a runbook from the catalog and keeps everything (revisions, validations, links
// to it); restoring brings it back as it was. Sync archives runbooks whose file was deleted.

export const archiveSchema = z.object({
  slug: z.string().regex(SLUG_PATTERN, "Not a runbook slug."),
  reason: z.string().trim().max(500).optional().default(""),
  version: z.coerce.number().int().positive(),
});

async function setArchived(ctx: Ctx, input: unknown, archive: boolean): Promise<Runbook> {
  requirePermission(ctx.actor, "runbooks.archive");
  const data = parseInput(archiveSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(runbooks).where(eq(runbooks.slug, data.slug)).limit(1);
    if (!current) throw new NotFoundError("There is no runbook with that name.");
    return archiveInTx(tx, ctx.actor, current, archive ? data.reason || "archived by hand" : null, data.version);
  });
}

/**
 * Inside the caller's transaction: archives (reason given) or restores (null) one runbook, with
 * its audit entry. Loses visibly to a concurrent change of the row.
 */
export async function archiveInTx(tx: Db, actor: Actor, current: Runbook, reason: string | null, expectedVersion = current.version): Promise<Runbook> {
  const archive = reason !== null;
  const [row] = await tx
    .update(runbooks)
    .set({
      archivedAt: archive ? new Date() : null,
      archivedBy: archive && actor.userId !== "system" ? actor.userId : null,
      archivedReason: reason,
      version: current.version + 1,
      updatedAt: new Date(),
    })
    .where(and(eq(runbooks.id, current.id), eq(runbooks.version, expectedVersion), archive ? isNull(runbooks.archivedAt) : isNotNull(runbooks.archivedAt)))
    .returning();
  if (!row) {
    throw new ConflictError(
      archive ? "This runbook is already archived or changed meanwhile; reload the page." : "This runbook is not archived or changed meanwhile; reload the page.",
      { version: current.version },
    );
  }
  await writeAudit(tx, {
    actor,
    action: archive ? "runbook.archive" : "runbook.restore",
    targetType: "runbook",
    targetId: row.id,
    before: { archivedAt: current.archivedAt, archivedReason: current.archivedReason, version: current.version },
    after: { slug: row.slug, archivedAt: row.archivedAt, archivedReason: row.archivedReason, version: row.version },
  });
  await publish(tx, RUNBOOKS_CHANNEL, { type: archive ? "runbook.archived" : "runbook.restored", id: row.id, slug: row.slug });
  return row;
}

/** Hides a runbook from the catalog (commanders and admins); history and links stay. */
export function archiveRunbook(ctx: Ctx, input: unknown): Promise<Runbook> {
  return setArchived(ctx, input, true);
}

/** Brings an archived runbook back into the catalog. */
export function restoreRunbook(ctx: Ctx, input: unknown): Promise<Runbook> {
  return setArchived(ctx, input, false);
}
