// The postmortem review area: merged timeline, key moments, durations, the review and its exports.
export { updateReview } from "./update-review";
export { markMoment, clearMoment } from "./moments";
export { correctOccurredAt, annotateItem, addMissedEvent } from "./timeline-edits";
export { addFollowUp, updateFollowUpState, runbookChoices, type RunbookChoice } from "./follow-ups";
export { addReviewer, submitForReview, approveReview, publishReview } from "./workflow";
export {
  getReviewDetail,
  listReviews,
  reliabilityReport,
  listPeople,
  reviewDeadline,
  REVIEW_DEADLINE_HOURS,
  type ReviewDetail,
  type ReviewListItem,
  type Reliability,
  type MomentView,
} from "./queries";
export { reviewMarkdown, reviewJson, timelineCsv } from "./export";
export * from "./durations";
export { filterTimeline, findGaps, peopleOf } from "./timeline/merge";
export { TIMELINE_SOURCES, SOURCE_LABELS, type TimelineItem, type TimelineSource } from "./timeline/types";
export { timelineQuerySchema } from "./schemas";
