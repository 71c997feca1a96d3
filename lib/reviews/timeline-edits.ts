import "server-only";
import { and, eq } from "drizzle-orm";
import { reviewAddedEvents, reviewAnnotations, reviewKeyMoments, reviewTimeCorrections } from "@/db/schema/reviews";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { addEventSchema, annotateSchema, correctTimeSchema } from "./schemas";
import { assertEditable, bumpReview, ensureReview, readIncidentById, recordReviewChange, userRef } from "./store";
import { buildTimeline } from "./timeline/build";

const notFuture = (d: Date, field: string) => {
  if (d.getTime() > Date.now() + 60_000) throw new ValidationError("That time is in the future.", { [field]: ["Choose a time that has passed."] });
};

/**
 * Corrects when a timeline item happened. The source row is never touched: its own time stays as
 * the original, shown beside the correction. Key moments taken from the item follow it.
 */
export async function correctOccurredAt(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(correctTimeSchema, input);
  notFuture(data.occurredAt, "occurredAt");
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    assertEditable(review);
    const item = (await buildTimeline(tx, incident, review)).find((i) => i.key === data.itemKey);
    if (!item) throw new NotFoundError("That item is not on this incident's timeline.");
    const values = {
      correctedOccurredAt: data.occurredAt,
      reason: data.reason,
      correctedAt: new Date(),
      correctedBy: userRef(ctx.actor),
      correctedByName: ctx.actor.name,
    };
    const [row] = await tx
      .insert(reviewTimeCorrections)
      .values({ reviewId: review.id, itemKey: item.key, originalOccurredAt: new Date(item.originalOccurredAt), ...values })
      .onConflictDoUpdate({ target: [reviewTimeCorrections.reviewId, reviewTimeCorrections.itemKey], set: values })
      .returning();
    await tx
      .update(reviewKeyMoments)
      .set({ occurredAt: data.occurredAt })
      .where(and(eq(reviewKeyMoments.reviewId, review.id), eq(reviewKeyMoments.itemKey, item.key)));
    await bumpReview(tx, ctx.actor, review);
    await recordReviewChange(
      tx,
      ctx.actor,
      {
        action: "review.occurred_at.correct",
        targetType: "review",
        targetId: review.id,
        before: { itemKey: item.key, occurredAt: item.occurredAt, original: item.originalOccurredAt },
        after: { itemKey: item.key, occurredAt: data.occurredAt.toISOString(), reason: data.reason },
      },
      {
        incidentId: incident.id,
        kind: "review.occurred_at_corrected",
        body: `Review: “${item.summary.slice(0, 120)}” happened at ${data.occurredAt.toISOString()} (recorded as ${item.originalOccurredAt}). ${data.reason}`,
        payload: { itemKey: item.key, original: item.originalOccurredAt, corrected: data.occurredAt.toISOString() },
      },
    );
    return row;
  });
}

/** A reviewer's note on one item. Responders may annotate too (they were there). */
export async function annotateItem(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.annotate");
  const data = parseInput(annotateSchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    assertEditable(review);
    const item = (await buildTimeline(tx, incident, review)).find((i) => i.key === data.itemKey);
    if (!item) throw new NotFoundError("That item is not on this incident's timeline.");
    const [row] = await tx
      .insert(reviewAnnotations)
      .values({ reviewId: review.id, itemKey: item.key, body: data.body, createdBy: userRef(ctx.actor), createdByName: ctx.actor.name })
      .returning();
    await bumpReview(tx, ctx.actor, review);
    await recordReviewChange(tx, ctx.actor, {
      action: "review.annotation.add",
      targetType: "review",
      targetId: review.id,
      after: { itemKey: item.key, body: data.body, annotationId: row.id },
    });
    return row;
  });
}

/** Something that happened but was never written down; shown as added in review. */
export async function addMissedEvent(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(addEventSchema, input);
  notFuture(data.occurredAt, "occurredAt");
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    assertEditable(review);
    const [row] = await tx
      .insert(reviewAddedEvents)
      .values({
        reviewId: review.id,
        occurredAt: data.occurredAt,
        body: data.body,
        personName: data.personName,
        addedBy: userRef(ctx.actor),
        addedByName: ctx.actor.name,
      })
      .returning();
    await bumpReview(tx, ctx.actor, review);
    await recordReviewChange(
      tx,
      ctx.actor,
      {
        action: "review.event.add",
        targetType: "review",
        targetId: review.id,
        after: { id: row.id, occurredAt: data.occurredAt.toISOString(), body: data.body, personName: data.personName },
      },
      {
        incidentId: incident.id,
        kind: "review.event_added",
        body: `Review: added a missed event at ${data.occurredAt.toISOString()}: ${data.body.slice(0, 200)}`,
        payload: { addedEventId: row.id },
      },
    );
    return row;
  });
}
