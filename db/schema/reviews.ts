import { sql } from "drizzle-orm";
import { date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { incidents } from "./incidents";
import { users } from "./users";

export const reviewStatusEnum = pgEnum("review_status", ["draft", "in_review", "published"]);
export const reviewMomentEnum = pgEnum("review_moment", ["started", "detected", "acknowledged", "mitigated", "resolved"]);
export const followUpStateEnum = pgEnum("follow_up_state", ["open", "in_progress", "done", "wont_do"]);
export const followUpRunbookActionEnum = pgEnum("follow_up_runbook_action", ["update", "create"]);

/** One postmortem review per incident; created by the first change a reviewer makes. */
export const reviews = pgTable(
  "reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    status: reviewStatusEnum("status").notNull().default("draft"),
    summary: text("summary").notNull().default(""),
    impact: text("impact").notNull().default(""),
    rootCause: text("root_cause").notNull().default(""),
    contributingFactors: text("contributing_factors").notNull().default(""),
    wentWell: text("went_well").notNull().default(""),
    // What was missing, in the three kinds seed 002 §7 names.
    missingDocs: text("missing_docs").notNull().default(""),
    missingAlerts: text("missing_alerts").notNull().default(""),
    missingAutomation: text("missing_automation").notNull().default(""),
    // Bumped by every change to the review or its timeline work; approvals name the version they saw.
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id),
    submittedAt: timestamp("submitted_at", { withTimezone: true, precision: 3 }),
    submittedBy: uuid("submitted_by").references(() => users.id),
    publishedAt: timestamp("published_at", { withTimezone: true, precision: 3 }),
    publishedBy: uuid("published_by").references(() => users.id),
  },
  (t) => [
    uniqueIndex("reviews_incident_unique").on(t.incidentId),
    index("reviews_unpublished_idx").on(t.status).where(sql`${t.status} <> 'published'`),
  ],
);

/** Who reviews, and which version of the review each approved (null: not yet). */
export const reviewReviewers = pgTable(
  "review_reviewers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    addedAt: timestamp("added_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    addedBy: uuid("added_by").references(() => users.id),
    approvedAt: timestamp("approved_at", { withTimezone: true, precision: 3 }),
    approvedVersion: integer("approved_version"),
  },
  (t) => [uniqueIndex("review_reviewers_unique").on(t.reviewId, t.userId)],
);

/**
 * Key moments as the review settles them. `itemKey` names the timeline item the moment was taken
 * from ("event:42", "execution:<id>", "added:<id>"); null when a reviewer typed the time.
 */
export const reviewKeyMoments = pgTable(
  "review_key_moments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    moment: reviewMomentEnum("moment").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    itemKey: text("item_key"),
    markedAt: timestamp("marked_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    markedBy: uuid("marked_by").references(() => users.id),
    markedByName: text("marked_by_name"),
  },
  (t) => [uniqueIndex("review_key_moments_unique").on(t.reviewId, t.moment)],
);

/** A reviewer's note on one timeline item. */
export const reviewAnnotations = pgTable(
  "review_annotations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    itemKey: text("item_key").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => users.id),
    createdByName: text("created_by_name"),
  },
  (t) => [index("review_annotations_review_idx").on(t.reviewId, t.itemKey)],
);

/** A corrected "when it happened" for one timeline item; the source's own time stays as the original. */
export const reviewTimeCorrections = pgTable(
  "review_time_corrections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    itemKey: text("item_key").notNull(),
    originalOccurredAt: timestamp("original_occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    correctedOccurredAt: timestamp("corrected_occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    reason: text("reason").notNull().default(""),
    correctedAt: timestamp("corrected_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    correctedBy: uuid("corrected_by").references(() => users.id),
    correctedByName: text("corrected_by_name"),
  },
  (t) => [uniqueIndex("review_time_corrections_unique").on(t.reviewId, t.itemKey)],
);

/** Something that happened but was never recorded, added by a reviewer (shown as added in review). */
export const reviewAddedEvents = pgTable(
  "review_added_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    body: text("body").notNull(),
    // Who did the thing, as the reviewer tells it (may be someone without an account).
    personName: text("person_name").notNull().default(""),
    addedAt: timestamp("added_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    addedBy: uuid("added_by").references(() => users.id),
    addedByName: text("added_by_name"),
  },
  (t) => [index("review_added_events_review_idx").on(t.reviewId, t.occurredAt)],
);

/**
 * Corrective actions. A runbook link is a slug in the library: an existing runbook to update or a
 * pending catalog entry to create. The slug is text so the follow-up outlives the runbook row.
 */
export const reviewFollowUps = pgTable(
  "review_follow_ups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    ownerId: uuid("owner_id").references(() => users.id),
    dueDate: date("due_date", { mode: "string" }),
    state: followUpStateEnum("state").notNull().default("open"),
    runbookAction: followUpRunbookActionEnum("runbook_action"),
    runbookSlug: text("runbook_slug"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id),
  },
  (t) => [
    index("review_follow_ups_review_idx").on(t.reviewId),
    index("review_follow_ups_open_idx").on(t.dueDate).where(sql`${t.state} in ('open', 'in_progress')`),
  ],
);

export type Review = typeof reviews.$inferSelect;
export type ReviewStatus = (typeof reviewStatusEnum.enumValues)[number];
export type ReviewMoment = (typeof reviewMomentEnum.enumValues)[number];
export type FollowUpState = (typeof followUpStateEnum.enumValues)[number];
export type FollowUp = typeof reviewFollowUps.$inferSelect;
export const reviewStatuses = reviewStatusEnum.enumValues;
export const reviewMoments = reviewMomentEnum.enumValues;
export const followUpStates = followUpStateEnum.enumValues;
