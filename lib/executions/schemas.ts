import { z } from "zod";

const checkbox = z.preprocess((v) => {
  // A hidden "false" before a checkbox arrives as ["false", "on"] when ticked: the last value wins.
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last === true || last === "true" || last === "on" || last === "1";
}, z.boolean());

export const startExecutionSchema = z.object({
  runbookSlug: z.string().trim().min(1).max(200),
  stepId: z.string().trim().min(1).max(300),
  revisionId: z.string().uuid().optional(),
  environmentId: z.string().uuid("Pick an environment."),
  agentId: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().uuid("Pick a host agent.").optional()),
  inputs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(1000)).default({}),
  confirmProduction: checkbox.optional(),
  // The incident this run is for (its timeline records the run); empty means none.
  incidentId: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().uuid("Pick an incident, or none.").optional()),
  // During a freeze, the commander's approval for this one careful or destructive execution.
  approvalId: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().uuid().optional()),
});
export type StartExecutionInput = z.input<typeof startExecutionSchema>;

export const cancelExecutionSchema = z.object({ id: z.string().uuid() });
