import { z } from "zod";
import { followUpStates, reviewMoments } from "@/db/schema/reviews";
import { TIMELINE_SOURCES } from "./timeline/types";

const uuid = z.string().uuid("Choose a valid item.");
const version = z.coerce.number().int().positive();
const text = (max: number) => z.string().trim().max(max, `Keep this under ${max} characters.`);

/**
 * A time in UTC: a form's "2026-03-01T12:30" (no zone, read as UTC, as the label says) or any ISO
 * string with its zone.
 */
export const utcDate = z.preprocess(
  (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(v.trim()) ? `${v.trim()}Z` : v),
  z.coerce.date({ error: "Enter a valid date and time (UTC)." }),
);

const itemKey = z.string().regex(/^(event|execution|drill|public_update|evidence|freeze|unfreeze|approval|recovery|audit|added):[A-Za-z0-9-]{1,64}$/, "Choose a timeline item.");

export const updateReviewSchema = z.object({
  incidentId: uuid,
  version: z.coerce.number().int().min(0),
  summary: text(20_000).default(""),
  impact: text(20_000).default(""),
  rootCause: text(20_000).default(""),
  contributingFactors: text(20_000).default(""),
  wentWell: text(20_000).default(""),
  missingDocs: text(10_000).default(""),
  missingAlerts: text(10_000).default(""),
  missingAutomation: text(10_000).default(""),
});

export const markMomentSchema = z
  .object({
    incidentId: uuid,
    moment: z.enum(reviewMoments, { error: "Choose a key moment." }),
    itemKey: z.preprocess((v) => (v === "" ? undefined : v), itemKey.optional()),
    occurredAt: z.preprocess((v) => (v === "" ? undefined : v), utcDate.optional()),
  })
  .refine((d) => d.itemKey || d.occurredAt, { message: "Pick a timeline item or enter a time.", path: ["occurredAt"] });

export const clearMomentSchema = z.object({ incidentId: uuid, moment: z.enum(reviewMoments) });

export const correctTimeSchema = z.object({
  incidentId: uuid,
  itemKey,
  occurredAt: utcDate,
  reason: text(2000).min(3, "Say why the time is corrected (at least 3 characters)."),
});

export const annotateSchema = z.object({
  incidentId: uuid,
  itemKey,
  body: text(10_000).min(1, "Write the annotation first."),
});

export const addEventSchema = z.object({
  incidentId: uuid,
  occurredAt: utcDate,
  body: text(10_000).min(3, "Describe what happened (at least 3 characters)."),
  personName: text(200).default(""),
});

/** "update:<slug>" or "create:<slug>"; empty for a follow-up without a runbook. */
const runbookLink = z.preprocess(
  (v) => (v === "" || v === null ? undefined : v),
  z
    .string()
    .regex(/^(update|create):[a-z0-9][a-z0-9._-]{0,199}$/, "Choose a runbook from the list.")
    .optional(),
);

export const addFollowUpSchema = z.object({
  incidentId: uuid,
  title: text(500).min(3, "Describe the follow-up (at least 3 characters)."),
  ownerId: z.preprocess((v) => (v === "" ? undefined : v), uuid.optional()),
  dueDate: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date like 2026-03-31.").optional(),
  ),
  runbook: runbookLink,
});

export const updateFollowUpSchema = z.object({
  id: uuid,
  version,
  state: z.enum(followUpStates, { error: "Choose a state." }),
});

export const reviewerSchema = z.object({ incidentId: uuid, userId: uuid });
export const incidentOnlySchema = z.object({ incidentId: uuid });
export const approveSchema = z.object({ incidentId: uuid, version });

export const timelineQuerySchema = z.object({
  source: z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(TIMELINE_SOURCES))).default([]),
  person: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(320).optional()),
  gap: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
});
