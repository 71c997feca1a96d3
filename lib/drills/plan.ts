import { z } from "zod";

// A drill plan: what a drill of one runbook does around and between the runbook's own steps.
// Plans are data (stored per runbook, shown to the validator before and during the drill), so
// nothing a drill does to the environment is hidden in code.

/** "${name}" refers to a drill input or variable; anything else is a literal value. */
export const valueRef = z.string().min(1).max(200);

const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const name = z.string().regex(NAME, "lower snake case name");

export const actionSchema = z.discriminatedUnion("kind", [
  /** Creates runs through the control API; their ids become variables `<prefix>_1` … `<prefix>_<count>`. */
  z.object({ kind: z.literal("create-runs"), count: z.number().int().min(1).max(10), prefix: name, title: z.string().max(200).default("sitrep drill") }),
  /** Acquires a slot for each run variable; the slot ids become the `as` variables. */
  z.object({ kind: z.literal("acquire-slots"), runs: z.array(name).min(1).max(10), as: z.array(name).min(1).max(10) }),
  /** Releases every slot still held by a run this drill created (through the control API). */
  z.object({ kind: z.literal("release-slots") }),
  /**
   * A shell command on the environment's host agent (checked against its allowlist like any
   * step). `optional`: when the host refuses or the command fails, the drill goes on and the
   * report says so.
   */
  z.object({ kind: z.literal("agent"), text: z.string().min(1).max(2000), inputs: z.record(name, valueRef).default({}), optional: z.boolean().default(false) }),
  /** Something the validator should know; nothing runs. */
  z.object({ kind: z.literal("note"), text: z.string().min(1).max(1000) }),
  /** Removes resources the plan declares (by name) with their declared removal, on the host agent. */
  z.object({ kind: z.literal("remove"), resources: z.array(z.string().min(1).max(63)).min(1).max(20) }),
]);
export type DrillAction = z.infer<typeof actionSchema>;

/** A tool a command needs on the host; when it is missing the item fails with `message`. */
export const prerequisiteSchema = z.object({
  program: z.string().min(1).max(100),
  message: z.string().min(1).max(500),
  /** Output fragments (case-insensitive) that mean the prerequisite is missing, besides "cannot start <program>". */
  signs: z.array(z.string().min(1).max(200)).default([]),
});
export type Prerequisite = z.infer<typeof prerequisiteSchema>;

export const captureSchema = z.object({
  variable: name,
  /** Regular expression over the output with one group: the value. */
  pattern: z.string().min(1).max(300),
});

export const partSchema = z.object({
  /** Command ordinals of the step, in order. */
  commands: z.array(z.number().int().min(1)).min(1),
  /** Placeholder (input name) → value reference for this part. */
  bind: z.record(z.string(), valueRef).default({}),
  /**
   * Per command ordinal: a placeholder filled with a different value in that command only
   * (seed 000 §4 writes `<known_commit>` for both the old and the new commit).
   */
  literal: z.record(z.string(), z.record(z.string(), valueRef)).default({}),
  /** This part is attempt N of the assertion "Nth should return …" (set up by the plan). */
  attempt: z.number().int().min(1).optional(),
  capture: z.array(captureSchema).default([]),
  requires: z.array(prerequisiteSchema).default([]),
  note: z.string().max(500).optional(),
});
export type DrillPart = z.infer<typeof partSchema>;

export const stepPlanSchema = z.object({
  note: z.string().max(1000).optional(),
  /** Declared skip: the step does not apply to a drill (reason shown in the report). */
  skip: z.string().min(1).max(500).optional(),
  setup: z.array(actionSchema).default([]),
  cleanup: z.array(actionSchema).default([]),
  /** Splits the step into parts run one after another; without it the whole step runs at once. */
  parts: z.array(partSchema).optional(),
  bind: z.record(z.string(), valueRef).default({}),
  literal: z.record(z.string(), z.record(z.string(), valueRef)).default({}),
  requires: z.array(prerequisiteSchema).default([]),
});
export type StepPlan = z.infer<typeof stepPlanSchema>;

/**
 * Something a drill creates on the environment that outlives the drill unless removed (a preview
 * database). Declared with how to see it and how to remove it: before a drill starts, every
 * declared resource is looked for, and leftovers of an earlier drill are offered for removal; the
 * removal runs on the host agent, which allows a removal program only for a declared resource.
 */
export const resourceSchema = z.object({
  /** The agent allowlist's `removes` kind of the removal program (e.g. postgres-database). */
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
  name: z.string().regex(/^[A-Za-z0-9._-]{1,63}$/, "letters, digits, dots, dashes, underscores"),
  description: z.string().max(300).default(""),
  /** The step that creates it (shown in the plan). */
  createdBy: z.string().max(200).optional(),
  /** A read-only host command and the regular expression (multiline) that, found in its output, means the resource exists. */
  exists: z.object({ text: z.string().min(1).max(2000), present: z.string().min(1).max(300) }),
  /** The host command that removes it; it must name the resource. */
  remove: z.string().min(1).max(2000),
});
export type DrillResource = z.infer<typeof resourceSchema>;

export const inputSpecSchema = z.object({
  description: z.string().max(200),
  pattern: z.string().max(200),
  /** A fresh value per drill: `<prefix>-<random>` (release ids that never collide). */
  generate: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/).optional(),
});

export const drillPlanSchema = z.object({
  summary: z.string().max(2000).default(""),
  inputs: z.record(name, inputSpecSchema).default({}),
  setup: z.array(actionSchema).default([]),
  cleanup: z.array(actionSchema).default([]),
  steps: z.record(z.string(), stepPlanSchema).default({}),
  resources: z.array(resourceSchema).max(50).default([]),
}).superRefine((plan, ctx) => {
  const names = new Set(plan.resources.map((r) => r.name));
  for (const r of plan.resources) {
    if (!r.remove.includes(r.name)) ctx.addIssue({ code: "custom", path: ["resources"], message: `the removal of ${r.name} must name it` });
    try {
      new RegExp(r.exists.present, "m");
    } catch {
      ctx.addIssue({ code: "custom", path: ["resources"], message: `the presence pattern of ${r.name} is not a valid regular expression` });
    }
  }
  const actions = [...plan.setup, ...plan.cleanup, ...Object.values(plan.steps).flatMap((s) => [...s.setup, ...s.cleanup])];
  for (const a of actions) {
    if (a.kind !== "remove") continue;
    for (const name of a.resources) if (!names.has(name)) ctx.addIssue({ code: "custom", path: ["resources"], message: `a removal names ${name}, which the plan does not declare under resources` });
  }
});
export type DrillPlan = z.infer<typeof drillPlanSchema>;

export const EMPTY_PLAN: DrillPlan = drillPlanSchema.parse({ summary: "No setup or cleanup declared: every step runs as written, with the inputs given at the start." });

/** One line describing an action, for the report and the plan panel. */
export function describeAction(action: DrillAction): string {
  switch (action.kind) {
    case "create-runs":
      return `Create ${action.count} run${action.count > 1 ? "s" : ""} through the control API (${Array.from({ length: action.count }, (_, i) => `${action.prefix}_${i + 1}`).join(", ")})`;
    case "acquire-slots":
      return `Acquire a preview slot for ${action.runs.join(", ")} (slots become ${action.as.join(", ")})`;
    case "release-slots":
      return "Release every preview slot still held by a run this drill created";
    case "agent":
      return `On the host agent${action.optional ? " (optional)" : ""}: ${action.text}`;
    case "note":
      return action.text;
    case "remove":
      return `Remove ${action.resources.join(", ")} (declared resources of this drill) on the host agent`;
  }
}
