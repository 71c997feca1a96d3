import { z } from "zod";
import { SLUG_PATTERN } from "./slug";

const trimmedOptional = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

export const saveRevisionSchema = z.object({
  slug: z.string().regex(SLUG_PATTERN, "Not a runbook slug."),
  markdown: z.string().min(1, "The runbook cannot be empty."),
  changeNote: trimmedOptional(500),
  version: z.coerce.number().int().positive(),
});

export const createRunbookSchema = z.object({
  title: z.string().trim().min(1, "Give the runbook a title.").max(200),
  slug: z
    .string()
    .trim()
    .max(120)
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().regex(SLUG_PATTERN, "Lower-case letters, digits and single dashes only.").optional()),
  category: trimmedOptional(120),
  markdown: z.string().min(1, "The runbook cannot be empty."),
  changeNote: trimmedOptional(500),
});

export const importFileSchema = z.object({
  name: z.string().min(1).max(300),
  bytes: z.instanceof(Uint8Array),
});

export const validationRowSchema = z.object({
  runbookId: z.string().uuid(),
  revisionId: z.string().uuid(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD."),
  validator: z.string().trim().min(1).max(200),
  environment: z.string().trim().min(1).max(120),
  result: z.enum(["pass", "pass_with_notes", "fail"]),
  notes: z.string().max(2000).default(""),
  reportUrl: z.string().max(1000).optional(),
});

export type SaveRevisionInput = z.input<typeof saveRevisionSchema>;
export type CreateRunbookInput = z.input<typeof createRunbookSchema>;
export type ValidationRowInput = z.input<typeof validationRowSchema>;
