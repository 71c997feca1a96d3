import { z } from "zod";

export const startDrillSchema = z.object({
  runbookSlug: z.string().trim().min(1).max(200),
  environmentId: z.string().uuid("Pick an environment."),
  inputs: z.record(z.string(), z.string().max(1000)).default({}),
  mode: z.enum(["auto", "step"]).default("auto"),
  confirmProduction: z.boolean().optional(),
  /** The person confirmed that leftovers of an earlier drill are removed before this one starts. */
  cleanLeftovers: z.boolean().optional(),
});
export type StartDrillInput = z.input<typeof startDrillSchema>;

export const drillRefSchema = z.object({ drillId: z.string().uuid() });
export const abortSchema = z.object({ drillId: z.string().uuid(), reason: z.string().trim().min(3, "Say why the drill is aborted.").max(1000) });
export const itemRefSchema = z.object({ drillId: z.string().uuid(), position: z.coerce.number().int().min(0) });
export const skipSchema = itemRefSchema.extend({ reason: z.string().trim().min(3, "Say why the step is skipped.").max(1000) });
export const confirmSchema = itemRefSchema.extend({ passed: z.boolean(), note: z.string().trim().max(1000).default("") });
export const signOffSchema = z.object({
  drillId: z.string().uuid(),
  result: z.enum(["pass", "pass_with_notes", "fail"]),
  notes: z.string().trim().max(2000).default(""),
});
export const settingsSchema = z.object({ requireIndependentSigner: z.boolean() });
export const planSaveSchema = z.object({ runbookSlug: z.string().trim().min(1).max(200), plan: z.unknown(), version: z.coerce.number().int().min(0).optional() });
