import { z } from "zod";
import { checklistKinds, incidentStatuses, severities } from "@/db/schema/incidents";
import { idempotencyKeySchema } from "@/lib/idempotency/key";

const uuid = z.string().uuid("Choose a valid item.");
const version = z.coerce.number().int().positive();
const reason = z.string().trim().max(2000, "Keep the reason under 2000 characters.");
/** A note is a few lines of what happened; long output belongs in evidence (lib/incidents/note-limits.ts). */
export const NOTE_MAX_CHARS = 10_000;

/** Empty form fields mean "not given"; anything else must be a date. */
const optionalDate = z.preprocess(
  (v) => (v === "" || v === null || v === undefined ? undefined : v),
  z.coerce.date({ error: "Enter a valid date and time." }).optional(),
);

/** Accepts a list, or one comma/newline separated string from a form. */
const surfaceList = z.preprocess(
  (v) => {
    const parts = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
    return parts.flatMap((p) => String(p).split(/[,\n]/)).map((s) => s.trim()).filter(Boolean);
  },
  z.array(z.string().max(80, "Keep each surface under 80 characters.")).max(20, "List at most 20 surfaces."),
);

export const severitySchema = z.enum(severities, { error: "Choose a severity." });
export const statusSchema = z.enum(incidentStatuses, { error: "Choose a status." });
export const checklistKindSchema = z.enum(checklistKinds);
export const assignableRoleSchema = z.enum(["scribe", "comms", "responder"], { error: "Choose a role." });
export const keyMomentSchema = z.enum(["detected", "mitigated", "resolved", "custom"], { error: "Choose a key moment." });

export const declareSchema = z
  .object({
    title: z.string().trim().min(3, "Give the incident a title of at least 3 characters.").max(200),
    severity: severitySchema,
    surfaces: surfaceList,
    summary: z.string().trim().max(5000).default(""),
    detectedAt: optionalDate,
    commanderId: z.preprocess((v) => (v === "" ? undefined : v), uuid.optional()),
    idempotencyKey: idempotencyKeySchema,
  })
  .refine((d) => !d.detectedAt || d.detectedAt.getTime() <= Date.now() + 60_000, {
    message: "Detection cannot be in the future.",
    path: ["detectedAt"],
  });
export type DeclareInput = z.input<typeof declareSchema>;

export const changeStatusSchema = z.object({
  incidentId: uuid,
  version,
  to: statusSchema,
  reason: reason.optional().default(""),
  idempotencyKey: idempotencyKeySchema,
});

export const changeSeveritySchema = z.object({
  incidentId: uuid,
  version,
  to: severitySchema,
  reason: reason.optional().default(""),
});

export const handOverSchema = z.object({
  incidentId: uuid,
  version,
  toUserId: uuid,
  // What the next commander needs to know; shown to them until they acknowledge.
  note: reason.optional().default(""),
});

export const acknowledgeCommandSchema = z.object({ incidentId: uuid });

/** One page of an incident's timeline, newest first; `before` is the cursor of the last row seen. */
export const timelinePageSchema = z.object({
  before: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z_\d{1,15}$/, "Not a timeline position.").optional()),
  kind: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(80).optional()),
  actorId: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(80).optional()),
  q: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(200).optional()),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TimelinePageInput = z.input<typeof timelinePageSchema>;

export const assignRoleSchema = z.object({
  incidentId: uuid,
  version,
  role: assignableRoleSchema,
  userId: uuid,
});

export const endRoleSchema = z.object({
  incidentId: uuid,
  version,
  assignmentId: uuid,
});

export const addNoteSchema = z.object({
  incidentId: uuid,
  body: z.string().trim().min(1, "Write something first.").max(NOTE_MAX_CHARS, "Keep a note under 10,000 characters; attach longer output as evidence."),
  occurredAt: optionalDate,
  idempotencyKey: idempotencyKeySchema,
});

export const editNoteSchema = z.object({
  seq: z.coerce.number().int().positive(),
  version,
  body: z.string().trim().min(1, "A note cannot be empty.").max(NOTE_MAX_CHARS, "Keep a note under 10,000 characters; attach longer output as evidence."),
});

export const markKeyMomentSchema = z
  .object({
    seq: z.coerce.number().int().positive(),
    version,
    // null clears the mark.
    moment: z.preprocess((v) => (v === "" || v === "none" ? null : v), keyMomentSchema.nullable()),
    label: z.string().trim().max(120).optional().default(""),
  })
  .refine((d) => d.moment !== "custom" || d.label.length > 0, { message: "Name the custom key moment.", path: ["label"] });

export const tickChecklistSchema = z.object({
  itemId: uuid,
  version,
  done: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()),
});

export const closeWithOverrideSchema = z.object({
  incidentId: uuid,
  version,
  reason: z.string().trim().min(10, "Explain in at least 10 characters why the checklist is skipped.").max(2000),
});

export const updateSevDefinitionSchema = z.object({
  severity: severitySchema,
  version,
  name: z.string().trim().min(1, "Give the severity a name.").max(80),
  description: z.string().trim().min(10, "Describe when this severity applies (at least 10 characters).").max(4000),
  responseExpectation: z.string().trim().max(2000).default(""),
});

const itemLines = z.preprocess(
  (v) => (Array.isArray(v) ? v : String(v ?? "").split("\n")).map((s) => String(s).trim()).filter(Boolean),
  z.array(z.string().max(500, "Keep each item under 500 characters.")).min(1, "A checklist needs at least one item.").max(50),
);

export const updateChecklistTemplateSchema = z.object({
  kind: checklistKindSchema,
  version,
  title: z.string().trim().min(1, "Give the checklist a title.").max(120),
  description: z.string().trim().max(2000).default(""),
  items: itemLines,
});

export const checklistFromRunbookSchema = z.object({
  kind: checklistKindSchema,
  version,
  source: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,120}#[A-Za-z0-9._:-]{1,200}$/, "Pick a checklist from the list."),
});

export const incidentFilterSchema = z.object({
  status: z.preprocess((v) => (v === "" ? undefined : v), z.union([statusSchema, z.literal("open")]).optional()),
  severity: z.preprocess((v) => (v === "" ? undefined : v), severitySchema.optional()),
  commanderId: z.preprocess((v) => (v === "" ? undefined : v), uuid.optional()),
  surface: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(80).optional()),
  q: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().max(200).optional()),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type IncidentFilter = z.input<typeof incidentFilterSchema>;
