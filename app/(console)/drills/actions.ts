"use server";

import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { abortDrill, confirmManual, pauseDrill, resumeDrill, retryItem, runNextItem, saveDrillPlan, saveSchedule, signOffDrill, skipItem, startDrill, updateDrillSettings } from "@/lib/drills";

// Server actions of the drill pages: each checks the session and the permission, parses the
// form, and calls one lib/drills function (which checks the permission again and audits).

const startForm = z.looseObject({
  runbookSlug: z.string().min(1),
  environmentId: z.string().uuid("Pick an environment."),
  mode: z.enum(["auto", "step"]).default("auto"),
  confirmProduction: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).optional(),
  cleanLeftovers: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).optional(),
});

export const startDrillAction = defineAction(
  { name: "drills.start", schema: startForm, permission: "drills.run", redirectTo: (d: { id: string }) => `/drills/${d.id}` },
  async (input, ctx) => {
    const inputs: Record<string, string> = {};
    for (const [key, value] of Object.entries(input)) if (key.startsWith("input_") && typeof value === "string" && value.trim()) inputs[key.slice("input_".length)] = value;
    const drill = await startDrill(ctx, { runbookSlug: input.runbookSlug, environmentId: input.environmentId, mode: input.mode, inputs, confirmProduction: input.confirmProduction, cleanLeftovers: input.cleanLeftovers });
    return { id: drill.id };
  },
);

const ref = z.object({ drillId: z.string().uuid() });
const item = ref.extend({ position: z.coerce.number().int().min(0) });

export const pauseDrillAction = defineAction({ name: "drills.pause", schema: ref, permission: "drills.run" }, async (i, ctx) => ({ state: (await pauseDrill(ctx, i)).state }));
export const resumeDrillAction = defineAction({ name: "drills.resume", schema: ref, permission: "drills.run" }, async (i, ctx) => ({ state: (await resumeDrill(ctx, i)).state }));
export const runNextAction = defineAction({ name: "drills.run_next", schema: ref, permission: "drills.run" }, async (i, ctx) => ({ state: (await runNextItem(ctx, i)).state }));
export const abortDrillAction = defineAction(
  { name: "drills.abort", schema: ref.extend({ reason: z.string().trim().min(3, "Say why the drill is aborted.").max(1000) }), permission: "drills.run" },
  async (i, ctx) => ({ state: (await abortDrill(ctx, i)).state }),
);
export const retryItemAction = defineAction({ name: "drills.retry", schema: item, permission: "drills.run" }, async (i, ctx) => ({ state: (await retryItem(ctx, i)).state }));
export const skipItemAction = defineAction(
  { name: "drills.skip", schema: item.extend({ reason: z.string().trim().min(3, "Say why the step is skipped.").max(1000) }), permission: "drills.run" },
  async (i, ctx) => ({ state: (await skipItem(ctx, i)).state }),
);
export const confirmManualAction = defineAction(
  { name: "drills.confirm", schema: item.extend({ passed: z.enum(["yes", "no"]), note: z.string().max(1000).default("") }), permission: "drills.run" },
  async (i, ctx) => ({ state: (await confirmManual(ctx, { ...i, passed: i.passed === "yes" })).state }),
);
export const signOffAction = defineAction(
  { name: "drills.signoff", schema: ref.extend({ result: z.enum(["pass", "pass_with_notes", "fail"], { message: "Pick a result." }), notes: z.string().max(2000).default("") }), permission: "drills.signoff", successMessage: "Signed off: the Validation Log has a new row." },
  async (i, ctx) => {
    const row = await signOffDrill(ctx, i);
    return { id: row.id };
  },
);
export const drillSettingsAction = defineAction(
  { name: "drills.settings", schema: z.object({ requireIndependentSigner: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()) }), permission: "drills.configure", successMessage: "Saved." },
  async (i, ctx) => updateDrillSettings(ctx, i),
);

const planForm = z.object({
  runbookSlug: z.string().trim().min(1).max(200),
  version: z.coerce.number().int().min(0),
  plan: z
    .string()
    .max(200_000, "A drill plan is at most 200 KB of JSON.")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `This is not valid JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
});

export const saveDrillPlanAction = defineAction(
  { name: "drills.plan.save", schema: planForm, permission: "drills.configure", revalidate: ["/drills/plans/[slug]", "/drills/new"], successMessage: "Drill plan saved." },
  async (i, ctx) => {
    await saveDrillPlan(ctx, { runbookSlug: i.runbookSlug, plan: i.plan, version: i.version });
    return {};
  },
);

export const saveScheduleAction = defineAction(
  {
    name: "drills.schedule.save",
    schema: z.object({
      runbookSlug: z.string().trim().min(1, "Pick a runbook.").max(200),
      schedule: z.string().trim().min(1, "Say when: quarterly, every N days, or a cron expression.").max(100),
      environmentId: z.string().uuid("Pick an environment."),
      enabled: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
    }),
    permission: "drills.configure",
    revalidate: ["/drills/schedules"],
    successMessage: "Schedule saved.",
  },
  async (i, ctx) => {
    const row = await saveSchedule(ctx, i);
    return { nextRunAt: row.nextRunAt.toISOString() };
  },
);
