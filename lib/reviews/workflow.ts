import "server-only";
import { and, eq, isNotNull } from "drizzle-orm";
import { reviewReviewers } from "@/db/schema/reviews";
import { users } from "@/db/schema/users";
import { can, requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { approveSchema, incidentOnlySchema, reviewerSchema } from "./schemas";
import { assertEditable, bumpReview, ensureReview, readIncidentById, recordReviewChange, userRef } from "./store";

// draft → in_review (submit) → published (needs an approval of the current version).

export async function addReviewer(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(reviewerSchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    assertEditable(review);
    const [user] = await tx.select().from(users).where(eq(users.id, data.userId)).limit(1);
    if (!user || user.disabledAt) throw new ValidationError("That person cannot review.", { userId: ["Choose an active user."] });
    if (!can(user.role, "reviews.approve")) throw new ValidationError(`A ${user.role} cannot approve reviews.`, { userId: ["Choose a commander or an admin."] });
    const [row] = await tx.insert(reviewReviewers).values({ reviewId: review.id, userId: user.id, addedBy: userRef(ctx.actor) }).onConflictDoNothing().returning();
    if (!row) throw new ConflictError(`${user.name} already reviews this incident.`);
    await recordReviewChange(tx, ctx.actor, { action: "review.reviewer.add", targetType: "review", targetId: review.id, after: { userId: user.id, name: user.name } });
    return row;
  });
}

export async function submitForReview(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(incidentOnlySchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    if (incident.status !== "resolved" && incident.status !== "closed")
      throw new ConflictError("Review an incident once it is resolved.");
    const review = await ensureReview(tx, ctx.actor, incident);
    if (review.status !== "draft") throw new ConflictError(`This review is already ${review.status.replace("_", " ")}.`);
    const updated = await bumpReview(tx, ctx.actor, review, { status: "in_review", submittedAt: new Date(), submittedBy: userRef(ctx.actor) }, review.version);
    await recordReviewChange(tx, ctx.actor, { action: "review.submit", targetType: "review", targetId: review.id, before: { status: "draft" }, after: { status: "in_review" } });
    return updated;
  });
}

/** Approves the version the approver saw; a later change makes the approval stale. */
export async function approveReview(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.approve");
  const data = parseInput(approveSchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    if (review.status !== "in_review") throw new ConflictError("Submit the review before approving it.");
    if (review.version !== data.version) throw new ConflictError("The review changed since you read it. Reload and read it again before approving.");
    const values = { approvedAt: new Date(), approvedVersion: review.version };
    const [row] = await tx
      .insert(reviewReviewers)
      .values({ reviewId: review.id, userId: ctx.actor.userId, addedBy: userRef(ctx.actor), ...values })
      .onConflictDoUpdate({ target: [reviewReviewers.reviewId, reviewReviewers.userId], set: values })
      .returning();
    await recordReviewChange(tx, ctx.actor, { action: "review.approve", targetType: "review", targetId: review.id, after: { version: review.version } });
    return row;
  });
}

export async function publishReview(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.approve");
  const data = parseInput(incidentOnlySchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    if (review.status !== "in_review") throw new ConflictError(review.status === "published" ? "This review is already published." : "Submit the review before publishing it.");
    const approvals = await tx
      .select()
      .from(reviewReviewers)
      .where(and(eq(reviewReviewers.reviewId, review.id), isNotNull(reviewReviewers.approvedAt), eq(reviewReviewers.approvedVersion, review.version)));
    if (approvals.length === 0) throw new ConflictError("Publishing needs at least one approval of the current version.");
    const now = new Date();
    const updated = await bumpReview(tx, ctx.actor, review, { status: "published", publishedAt: now, publishedBy: userRef(ctx.actor) }, review.version);
    // Keep the approvals pointing at what they approved: the version bump is only the publish itself.
    await tx.update(reviewReviewers).set({ approvedVersion: updated.version }).where(and(eq(reviewReviewers.reviewId, review.id), eq(reviewReviewers.approvedVersion, review.version)));
    await recordReviewChange(
      tx,
      ctx.actor,
      { action: "review.publish", targetType: "review", targetId: review.id, before: { status: "in_review" }, after: { status: "published", approvals: approvals.length } },
      { incidentId: incident.id, kind: "review.published", body: `Postmortem review published by ${ctx.actor.name}.`, payload: { reviewId: review.id } },
    );
    return updated;
  });
}
