"use server";

import { z } from "zod";
import { defineAction } from "@/app/_lib/define-action";
import { buildBundle, captureEvidence, captureSchema, verifyEvidence } from "@/lib/evidence";
import { approveExecution, approveSchema, dlqReplaySchema, freezeEnvironment, freezeSchema, liftFreeze, liftSchema, replayDlqEntry } from "@/lib/freeze";
import { overrideRecovery, overrideSchema, validateRecovery, validateSchema } from "@/lib/recovery";
import { updateRule, updateRuleSchema } from "@/lib/triggers";

const incidentOnly = z.object({ incidentId: z.string().uuid() });

export const captureEvidenceAction = defineAction({ name: "evidence.capture", schema: captureSchema, permission: "evidence.capture", revalidate: ["/incidents"] }, async (input, ctx) => {
  const r = await captureEvidence(ctx, input);
  return { captureId: r.captureId, missing: r.missing.map((m) => m.kind) };
});

export const verifyEvidenceAction = defineAction({ name: "evidence.verify", schema: incidentOnly, permission: "incidents.read" }, async (input, ctx) => {
  const r = await verifyEvidence(ctx, input.incidentId);
  return r;
});

export const bundleManifestAction = defineAction({ name: "evidence.bundle", schema: incidentOnly, permission: "incidents.read" }, async (input, ctx) => (await buildBundle(ctx, input.incidentId)).manifest);

export const freezeAction = defineAction({ name: "freeze.on", schema: freezeSchema, permission: "freeze.manage", revalidate: ["/incidents"], successMessage: "Careful and destructive actions are frozen." }, (input, ctx) => freezeEnvironment(ctx, input));

export const liftFreezeAction = defineAction({ name: "freeze.off", schema: liftSchema, permission: "freeze.manage", revalidate: ["/incidents"], successMessage: "Freeze lifted." }, (input, ctx) => liftFreeze(ctx, input));

export const approveAction = defineAction({ name: "freeze.approve", schema: approveSchema, permission: "freeze.manage", revalidate: ["/incidents"], successMessage: "Approved for one execution." }, (input, ctx) => approveExecution(ctx, input));

export const replayDlqAction = defineAction({ name: "dlq.replay", schema: dlqReplaySchema, permission: "actions.careful", revalidate: ["/incidents"], successMessage: "Replayed." }, (input, ctx) => replayDlqEntry(ctx, input));

export const validateRecoveryAction = defineAction({ name: "recovery.validate", schema: validateSchema, permission: "recovery.run", revalidate: ["/incidents"] }, async (input, ctx) => {
  const row = await validateRecovery(ctx, input);
  return { passed: row.passed, failing: row.results.filter((r) => !r.passed).map((r) => r.check) };
});

export const overrideRecoveryAction = defineAction({ name: "recovery.override", schema: overrideSchema, permission: "recovery.override", revalidate: ["/incidents"], successMessage: "Override recorded." }, (input, ctx) => overrideRecovery(ctx, input));

export const updateRuleAction = defineAction({ name: "trigger.rule.update", schema: updateRuleSchema, permission: "triggers.configure", revalidate: ["/alerts/rules"], successMessage: "Rule saved." }, (input, ctx) => updateRule(ctx, input));
