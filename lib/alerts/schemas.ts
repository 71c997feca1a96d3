import { z } from "zod";
import { genericMappingSchema } from "./parse";

const uuid = z.string().uuid("Choose a valid item.");
const version = z.coerce.number().int().positive();
const checkbox = z.preprocess((v) => (Array.isArray(v) ? v.includes("on") || v.includes("true") : v === "on" || v === "true" || v === true), z.boolean());
const optionalText = (max: number) => z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().max(max).optional());

/** Comma or newline separated from a form, or a list. */
const list = (max: number, item: z.ZodString) =>
  z.preprocess((v) => {
    const parts = Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
    return parts.flatMap((p) => String(p).split(/[,\n]/)).map((s) => s.trim()).filter(Boolean);
  }, z.array(item).max(max));

const httpUrl = z
  .string()
  .trim()
  .url("Enter a full URL, e.g. http://alertmanager:9093")
  .refine((u) => /^https?:\/\//i.test(u), "Only http and https URLs.")
  .max(500);

export const createSourceSchema = z
  .object({
    name: z.string().trim().min(2, "Name the source (at least 2 characters).").max(80),
    kind: z.enum(["alertmanager", "grafana", "generic"], { error: "Choose what sends the alerts." }),
    authMode: z.enum(["bearer", "hmac"], { error: "Choose bearer token or HMAC signature." }),
    alertmanagerUrl: z.preprocess((v) => (v === "" ? undefined : v), httpUrl.optional()),
    groupBy: list(10, z.string().max(100)).optional(),
    mapping: z.preprocess((v) => (v === "" || v === undefined ? undefined : typeof v === "string" ? safeJson(v) : v), genericMappingSchema.optional()),
  })
  .refine((d) => d.kind !== "generic" || !!d.mapping, { message: "A generic source needs a field mapping (at least the title path).", path: ["mapping"] });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { __invalid: text };
  }
}

export const sourceRefSchema = z.object({ id: uuid, version });

export const updateSourceSchema = z.object({
  id: uuid,
  version,
  alertmanagerUrl: z.preprocess((v) => (v === "" ? null : v), httpUrl.nullable().optional()),
  groupBy: list(10, z.string().max(100)).optional(),
  mapping: z.preprocess((v) => (v === "" || v === undefined ? undefined : typeof v === "string" ? safeJson(v) : v), genericMappingSchema.optional()),
});

export const matcherSchema = z.object({
  label: z.string().trim().min(1).max(100).regex(/^[A-Za-z_][\w]*$/, "Label names are letters, digits and _."),
  op: z.enum(["=", "!=", "=~", "!~"]),
  value: z.string().max(200),
});

/** `severity=critical, service=~api|web` as typed in a form. */
export const matchersText = z.preprocess(
  (v) => {
    if (Array.isArray(v)) return v;
    const text = String(v ?? "").trim();
    if (!text) return [];
    return text.split(/[,\n]/).map((part) => {
      const m = /^\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/.exec(part);
      return m ? { label: m[1], op: m[2], value: m[3] } : { label: part.trim(), op: "?", value: "" };
    });
  },
  z.array(matcherSchema, { error: "Write matchers as label=value, label!=value, label=~regex or label!~regex." }).max(20),
);

export const routingRuleSchema = z
  .object({
    name: z.string().trim().min(2, "Name the rule.").max(120),
    matchers: matchersText.refine((m) => m.length > 0, "Give at least one matcher, e.g. severity=critical."),
    suggestedSeverity: z.enum(["SEV1", "SEV2", "SEV3"], { error: "Choose a SEV." }),
    surfaces: list(20, z.string().max(80)).default([]),
    owner: z.string().trim().max(120).default(""),
    autoDeclare: checkbox.default(false),
    autoDeclareAfterMinutes: z.coerce.number().min(0, "Not negative.").max(24 * 60, "At most a day.").default(5),
    enabled: checkbox.default(true),
  })
  .superRefine((d, ctx) => {
    for (const [i, m] of d.matchers.entries()) {
      if (m.op === "=~" || m.op === "!~") {
        try {
          new RegExp(`^(?:${m.value})$`);
        } catch {
          ctx.addIssue({ code: "custom", message: `Matcher ${i + 1}: not a valid regular expression.`, path: ["matchers"] });
        }
      }
    }
  });

export const createRuleSchema = routingRuleSchema;
export const updateRuleSchema = z.intersection(routingRuleSchema, z.object({ id: uuid, version }));
export const moveRuleSchema = z.object({ id: uuid, version, direction: z.enum(["up", "down"]) });
export const deleteRuleSchema = z.object({ id: uuid, version });

export const alertRefSchema = z.object({ alertId: uuid });

export const silenceSchema = z.object({
  alertId: uuid,
  scope: z.enum(["alert", "group"]).default("group"),
  durationMinutes: z.coerce.number().int().min(1, "At least a minute.").max(7 * 24 * 60, "At most a week."),
  comment: z.string().trim().min(3, "Say why (at least 3 characters).").max(500),
  alsoInAlertmanager: checkbox.default(false),
});

export const expireSilenceSchema = z.object({ silenceId: uuid });

export const attachSchema = z.object({ alertId: uuid, incidentId: uuid });

export const declareFromAlertSchema = z.object({
  alertId: uuid,
  title: optionalText(200),
  severity: z.enum(["SEV1", "SEV2", "SEV3"]).optional(),
  surfaces: z.union([z.string(), z.array(z.string())]).optional(),
  summary: z.string().max(5000).optional(),
});
