import "server-only";
import { and, eq } from "drizzle-orm";
import { reviewKeyMoments } from "@/db/schema/reviews";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { clearMomentSchema, markMomentSchema } from "./schemas";
import { assertEditable, bumpReview, ensureReview, readIncidentById, recordReviewChange, userRef } from "./store";
import { buildTimeline } from "./timeline/build";

/** Sets a key moment from a timeline item (its corrected time) or from a typed UTC time. */
export async function markMoment(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(markMomentSchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    assertEditable(review);
    let occurredAt = data.occurredAt ?? null;
    let summary = "a time entered by hand";
    if (data.itemKey) {
      const item = (await buildTimeline(tx, incident, review)).find((i) => i.key === data.itemKey);
      if (!item) throw new NotFoundError("That item is not on this incident's timeline.");
      occurredAt = new Date(item.occurredAt);
      summary = `“${item.summary.slice(0, 120)}”`;
    }
    const [previous] = await tx
      .select()
      .from(reviewKeyMoments)
      .where(and(eq(reviewKeyMoments.reviewId, review.id), eq(reviewKeyMoments.moment, data.moment)));
    const values = { occurredAt: occurredAt!, itemKey: data.itemKey ?? null, markedAt: new Date(), markedBy: userRef(ctx.actor), markedByName: ctx.actor.name };
    const [row] = await tx
      .insert(reviewKeyMoments)
      .values({ reviewId: review.id, moment: data.moment, ...values })
      .onConflictDoUpdate({ target: [reviewKeyMoments.reviewId, reviewKeyMoments.moment], set: values })
      .returning();
    await bumpReview(tx, ctx.actor, review);
    await recordReviewChange(
      tx,
      ctx.actor,
      {
        action: "review.moment.mark",
        targetType: "review",
        targetId: review.id,
        before: previous ? { moment: previous.moment, occurredAt: previous.occurredAt.toISOString(), itemKey: previous.itemKey } : null,
        after: { moment: row.moment, occurredAt: row.occurredAt.toISOString(), itemKey: row.itemKey },
      },
      {
        incidentId: incident.id,
        kind: "review.moment_marked",
        body: `Review: ${data.moment} set to ${row.occurredAt.toISOString()} from ${summary}.`,
        payload: { moment: data.moment, occurredAt: row.occurredAt.toISOString(), itemKey: row.itemKey },
      },
    );
    return row;
  });
}

export async function clearMoment(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(clearMomentSchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    assertEditable(review);
    const [removed] = await tx
      .delete(reviewKeyMoments)
      .where(and(eq(reviewKeyMoments.reviewId, review.id), eq(reviewKeyMoments.moment, data.moment)))
      .returning();
    if (!removed) throw new NotFoundError("That key moment is not marked.");
    await bumpReview(tx, ctx.actor, review);
    await recordReviewChange(tx, ctx.actor, {
      action: "review.moment.clear",
      targetType: "review",
      targetId: review.id,
      before: { moment: removed.moment, occurredAt: removed.occurredAt.toISOString(), itemKey: removed.itemKey },
    });
    return { moment: removed.moment };
  });
}
