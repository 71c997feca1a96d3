"use server";

import { defineAction } from "@/app/_lib/define-action";
import {
  addFollowUp,
  addMissedEvent,
  addReviewer,
  annotateItem,
  approveReview,
  clearMoment,
  correctOccurredAt,
  markMoment,
  publishReview,
  submitForReview,
  updateFollowUpState,
  updateReview,
} from "@/lib/reviews";
import {
  addEventSchema,
  addFollowUpSchema,
  annotateSchema,
  approveSchema,
  clearMomentSchema,
  correctTimeSchema,
  incidentOnlySchema,
  markMomentSchema,
  reviewerSchema,
  updateFollowUpSchema,
  updateReviewSchema,
} from "@/lib/reviews/schemas";

// Each action: session → permission (refusals audited) → zod → one lib call. The lib checks the
// permission again, so a hand-made POST gets the same answer as the form.
const done = <T,>(value: T) => ({ id: (value as { id?: string }).id ?? null });

export const updateReviewAction = defineAction(
  { name: "updateReviewAction", schema: updateReviewSchema, permission: "reviews.edit", successMessage: "Review saved." },
  async (input, ctx) => done(await updateReview(ctx, input)),
);
export const markMomentAction = defineAction(
  { name: "markMomentAction", schema: markMomentSchema, permission: "reviews.edit", successMessage: "Key moment marked." },
  async (input, ctx) => done(await markMoment(ctx, input)),
);
export const clearMomentAction = defineAction(
  { name: "clearMomentAction", schema: clearMomentSchema, permission: "reviews.edit", successMessage: "Key moment cleared." },
  async (input, ctx) => clearMoment(ctx, input),
);
export const correctTimeAction = defineAction(
  { name: "correctTimeAction", schema: correctTimeSchema, permission: "reviews.edit", successMessage: "Time corrected; the original is kept." },
  async (input, ctx) => done(await correctOccurredAt(ctx, input)),
);
export const annotateAction = defineAction(
  { name: "annotateAction", schema: annotateSchema, permission: "reviews.annotate", successMessage: "Annotation added." },
  async (input, ctx) => done(await annotateItem(ctx, input)),
);
export const addEventAction = defineAction(
  { name: "addEventAction", schema: addEventSchema, permission: "reviews.edit", successMessage: "Event added to the timeline." },
  async (input, ctx) => done(await addMissedEvent(ctx, input)),
);
export const addFollowUpAction = defineAction(
  { name: "addFollowUpAction", schema: addFollowUpSchema, permission: "reviews.edit", successMessage: "Follow-up added." },
  async (input, ctx) => done(await addFollowUp(ctx, input)),
);
export const followUpStateAction = defineAction(
  { name: "followUpStateAction", schema: updateFollowUpSchema, permission: "reviews.edit", successMessage: "Follow-up updated." },
  async (input, ctx) => done(await updateFollowUpState(ctx, input)),
);
export const addReviewerAction = defineAction(
  { name: "addReviewerAction", schema: reviewerSchema, permission: "reviews.edit", successMessage: "Reviewer added." },
  async (input, ctx) => done(await addReviewer(ctx, input)),
);
export const submitReviewAction = defineAction(
  { name: "submitReviewAction", schema: incidentOnlySchema, permission: "reviews.edit", successMessage: "Submitted for review." },
  async (input, ctx) => done(await submitForReview(ctx, input)),
);
export const approveReviewAction = defineAction(
  { name: "approveReviewAction", schema: approveSchema, permission: "reviews.approve", successMessage: "Approved." },
  async (input, ctx) => done(await approveReview(ctx, input)),
);
export const publishReviewAction = defineAction(
  { name: "publishReviewAction", schema: incidentOnlySchema, permission: "reviews.approve", successMessage: "Review published." },
  async (input, ctx) => done(await publishReview(ctx, input)),
);
