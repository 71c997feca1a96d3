import "server-only";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { updateReviewSchema } from "./schemas";
import { assertEditable, bumpReview, ensureReview, readIncidentById, recordReviewChange } from "./store";

const FIELDS = ["summary", "impact", "rootCause", "contributingFactors", "wentWell", "missingDocs", "missingAlerts", "missingAutomation"] as const;

/** Saves the review's text. `version` is the one the editor saw (0 for a review not yet created). */
export async function updateReview(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "reviews.edit");
  const data = parseInput(updateReviewSchema, input);
  return ctx.db.transaction(async (tx) => {
    const incident = await readIncidentById(tx, data.incidentId);
    const review = await ensureReview(tx, ctx.actor, incident);
    assertEditable(review);
    const expected = data.version === 0 ? review.version : data.version;
    if (data.version === 0 && review.version !== 1) throw new ConflictError("Someone started this review meanwhile. Reload it and try again.");
    const before = Object.fromEntries(FIELDS.map((f) => [f, review[f]]));
    const after = Object.fromEntries(FIELDS.map((f) => [f, data[f]]));
    const updated = await bumpReview(tx, ctx.actor, review, after, expected);
    await recordReviewChange(tx, ctx.actor, { action: "review.update", targetType: "review", targetId: review.id, before, after });
    return updated;
  });
}
