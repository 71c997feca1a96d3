import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { reviewFollowUps, reviews } from "@/db/schema/reviews";
import { runbooks } from "@/db/schema/runbooks";
import { users } from "@/db/schema/users";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { addFollowUpSchema, updateFollowUpSchema } from "./schemas";
import { assertEditable, bumpReview, ensureReview, readIncidentById, recordReviewChange, userRef } from "./store";

export type RunbookChoice = { slug: string; title: string; pending: boolean };

/** Runbooks a follow-up can point at: existing ones to update, pending catalog entries to create. */
export async function runbookChoices(db: Db): Promise<RunbookChoice[]> {
  const rows = await db.select({ slug: runbooks.slug, title: runbooks.title, status: runbooks.status }).from(runbooks).orderBy(asc(runbooks.slug));
  return rows.map((r) => ({ slug: r.slug, title: r.title, pending: r.status === "pending" }));
}

async function checkRunbookLink(db: Db, link: string | undefined) {
  if (!link) return { runbookAction: null, runbookSlug: null };
  const [action, slug] = link.split(/:(.*)/s) as ["update" | "create", string];
  const [runbook] = await db.select({ status: runbooks.status }).from(runbooks).where(eq(runbooks.slug, slug)).limit(1);
  if (!runbook) throw new ValidationError("That runbook is not in the library.", { runbook: ["Choose a runbook from the list."] });
  if (action === "create" && runbook.status !== "pending")
    throw new ValidationError("That runbook already exists: choose “update” instead.", { runbook: ["That runbook already exists."] });
  if (action === "update" && runbook.status === "pending")
    throw new ValidationError("That runbook is still pending: choose “create” instead.", { runbook: ["That runbook has no content yet."] });
  return { runbookAction: action, runbookSlug: slug };
}

export async function addFollowUp(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(addFollowUpSchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    assertEditable(review);
    if (data.ownerId) {
      const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, data.ownerId)).limit(1);
      if (!owner) throw new ValidationError("That owner does not exist.", { ownerId: ["Choose an owner from the list."] });
    }
    const link = await checkRunbookLink(tx, data.runbook);
    const [row] = await tx
      .insert(reviewFollowUps)
      .values({
        reviewId: review.id,
        title: data.title,
        ownerId: data.ownerId ?? null,
        dueDate: data.dueDate ?? null,
        ...link,
        createdBy: userRef(ctx.actor),
        updatedBy: userRef(ctx.actor),
      })
      .returning();
    await bumpReview(tx, ctx.actor, review);
    await recordReviewChange(tx, ctx.actor, {
      action: "review.follow_up.add",
      targetType: "review_follow_up",
      targetId: row.id,
      after: { reviewId: review.id, title: row.title, ownerId: row.ownerId, dueDate: row.dueDate, runbookAction: row.runbookAction, runbookSlug: row.runbookSlug },
    });
    return row;
  });
}

/** Moves a follow-up's state; allowed after publishing, since the work outlives the review. */
export async function updateFollowUpState(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(updateFollowUpSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(reviewFollowUps).where(eq(reviewFollowUps.id, data.id)).limit(1);
    if (!current) throw new NotFoundError("That follow-up does not exist.");
    const [updated] = await tx
      .update(reviewFollowUps)
      .set({ state: data.state, version: data.version + 1, updatedAt: new Date(), updatedBy: userRef(ctx.actor) })
      .where(and(eq(reviewFollowUps.id, data.id), eq(reviewFollowUps.version, data.version)))
      .returning();
    if (!updated) throw new ConflictError(`Someone changed this follow-up meanwhile (it is now ${current.state}).`, current);
    await recordReviewChange(tx, ctx.actor, {
      action: "review.follow_up.state",
      targetType: "review_follow_up",
      targetId: current.id,
      before: { state: current.state },
      after: { state: updated.state },
    });
    const [review] = await tx.select({ id: reviews.id }).from(reviews).where(eq(reviews.id, current.reviewId));
    return { ...updated, reviewId: review.id };
  });
}
