import { z } from "zod";
import { componentStates, publicUpdateStatuses } from "@/db/schema/status";
import { severities } from "@/db/schema/incidents";

const uuid = z.string().uuid("Choose a valid item.");
const version = z.coerce.number().int().positive();
const checkbox = z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean());
/** A list from a multi-select, one value, or a comma separated string. */
const idList = z.preprocess(
  (v) => (Array.isArray(v) ? v : typeof v === "string" && v ? v.split(",") : []).map((s) => String(s).trim()).filter(Boolean),
  z.array(uuid).max(100),
);
const date = z.coerce.date({ error: "Enter a valid date and time." });

export const componentStateSchema = z.enum(componentStates, { error: "Choose a state." });
export const updateStatusSchema = z.enum(publicUpdateStatuses, { error: "Choose a status." });

export const updateSettingsSchema = z.object({
  version,
  title: z.string().trim().min(1, "Give the page a title.").max(120),
  description: z.string().trim().max(1000).default(""),
  requireSignIn: checkbox,
  environmentIds: idList,
});

export const createComponentSchema = z.object({
  name: z.string().trim().min(2, "Give the component a public name of at least 2 characters.").max(80),
  description: z.string().trim().max(500).default(""),
  groupName: z.string().trim().min(1, "Name the group.").max(60).default("Services"),
  position: z.coerce.number().int().min(0).max(1000).default(0),
  surfaceId: z.preprocess((v) => (v === "" || v === "none" ? undefined : v), uuid.optional()),
});

export const editComponentSchema = createComponentSchema.extend({ componentId: uuid, version });
export const archiveComponentSchema = z.object({ componentId: uuid, version });

export const publishComponentStateSchema = z.object({
  componentId: uuid,
  version,
  state: componentStateSchema,
});

/** Affected components arrive as `component.<id>` = state (forms) or as a list (JSON callers). */
const affectedList = z.preprocess(
  (v) => (v && !Array.isArray(v) && typeof v === "object" ? Object.entries(v).map(([componentId, state]) => ({ componentId, state })) : v ?? []),
  z.array(z.object({ componentId: uuid, state: componentStateSchema })).max(100),
);

/** Forms send one `component:<id>` field per component ("" = not affected); fold them into `components`. */
function foldComponentFields(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const entries = Object.entries(raw as Record<string, unknown>);
  if (!entries.some(([k]) => k.startsWith("component:"))) return raw;
  const rest: Record<string, unknown> = {};
  const components: { componentId: string; state: unknown }[] = [];
  for (const [key, value] of entries) {
    if (!key.startsWith("component:")) rest[key] = value;
    else if (value) components.push({ componentId: key.slice("component:".length), state: value });
  }
  return { ...rest, components };
}

const publicMessage = z.string().trim().min(10, "Write at least 10 characters for stakeholders.").max(5000, "Keep an update under 5,000 characters.");
/** The author's explicit "publish anyway" to what the check before publish found. */
const confirmations = { confirmSensitive: checkbox, confirmOperational: checkbox };

const saveUpdateFields = z.object({
  incidentId: uuid,
  title: z.string().trim().min(3, "Give the public headline at least 3 characters.").max(200),
  status: updateStatusSchema,
  message: publicMessage,
  components: affectedList,
  publish: checkbox,
  ...confirmations,
});
export const saveUpdateSchema = z.preprocess(foldComponentFields, saveUpdateFields);

export const publishDraftSchema = z.object({ updateId: uuid, version, ...confirmations });
export const discardDraftSchema = z.object({ updateId: uuid, version });

export const correctUpdateSchema = z.object({
  updateId: uuid,
  version,
  message: publicMessage,
  reason: z.string().trim().min(3, "Say in a few words what was wrong (kept in the audit log).").max(500),
  confirmSensitive: checkbox,
});
export const retractUpdateSchema = z.object({
  updateId: uuid,
  version,
  reason: z.string().trim().min(3, "Say in a few words why it is withdrawn (kept in the audit log).").max(500),
});

export const updateTemplateSchema = z.object({
  severity: z.enum(severities),
  status: updateStatusSchema,
  version,
  body: z.string().trim().min(10, "A template needs at least 10 characters.").max(5000),
});

export const updateCadenceSchema = z.object({
  severity: z.enum(severities),
  version,
  minutes: z.preprocess((v) => (v === "" || v === null || v === undefined ? null : v), z.coerce.number().int().min(5, "At least 5 minutes.").max(1440, "At most a day.").nullable()),
});

export const scheduleMaintenanceSchema = z
  .object({
    title: z.string().trim().min(3, "Give the window a title of at least 3 characters.").max(200),
    message: z.string().trim().max(5000).default(""),
    startsAt: date,
    endsAt: date,
    componentIds: idList.refine((l) => l.length > 0, "Choose at least one component."),
  })
  .refine((d) => d.endsAt.getTime() > d.startsAt.getTime(), { message: "The window must end after it starts.", path: ["endsAt"] });

export const cancelMaintenanceSchema = z.object({ windowId: uuid, version });

export const createSubscriberSchema = z.object({
  url: z
    .string()
    .trim()
    .url("Enter a full http(s) URL.")
    .refine((u) => /^https?:\/\//i.test(u), "Only http and https URLs can receive webhooks."),
  description: z.string().trim().max(200).default(""),
  secret: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "Use a secret of at least 16 characters.").max(200).optional()),
  /** "status": public status changes; "drills": scheduled drill outcomes (internal, for the team's own tools). */
  topics: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.enum(["status", "drills"])).min(1, "Pick at least one kind of event.").default(["status"])),
});

export const setSubscriberActiveSchema = z.object({ subscriberId: uuid, version, active: checkbox });
export const removeSubscriberSchema = z.object({ subscriberId: uuid, version });
