"use server";

import { defineAction } from "@/app/_lib/define-action";
import {
  acknowledgeAlert,
  alertRefSchema,
  attachAlert,
  attachSchema,
  createRoutingRule,
  createRuleSchema,
  createSource,
  createSourceSchema,
  declareFromAlert,
  declareFromAlertSchema,
  deleteRoutingRule,
  deleteRuleSchema,
  expireSilence,
  expireSilenceSchema,
  moveRoutingRule,
  moveRuleSchema,
  revokeSource,
  rotateSourceSecret,
  silenceAlert,
  silenceSchema,
  sourceRefSchema,
  updateRoutingRule,
  updateRuleSchema,
  updateSource,
  updateSourceSchema,
} from "@/lib/alerts";
import { formatNumber } from "@/lib/incidents/state-machine";

export const acknowledgeAction = defineAction({ name: "alert.acknowledge", schema: alertRefSchema, permission: "alerts.act", successMessage: "Acknowledged." }, (input, ctx) => acknowledgeAlert(ctx, input));

export const silenceAction = defineAction({ name: "alert.silence", schema: silenceSchema, permission: "alerts.act", revalidate: ["/alerts"] }, async (input, ctx) => {
  const row = await silenceAlert(ctx, input);
  return { id: row.id, endsAt: row.endsAt.toISOString(), alertmanagerError: row.externalError };
});

export const expireSilenceAction = defineAction({ name: "alert.silence.expire", schema: expireSilenceSchema, permission: "alerts.act", revalidate: ["/alerts"], successMessage: "Silence ended." }, async (input, ctx) => {
  await expireSilence(ctx, input);
  return null;
});

export const attachAction = defineAction({ name: "alert.attach", schema: attachSchema, permission: "alerts.act", successMessage: "Attached." }, (input, ctx) => attachAlert(ctx, input));

export const declareFromAlertAction = defineAction(
  { name: "alert.declare", schema: declareFromAlertSchema, permission: "incidents.declare", redirectTo: (incident: { number: number }) => `/incidents/${formatNumber(incident.number)}` },
  (input, ctx) => declareFromAlert(ctx, input),
);

// Admin: sources. The secret comes back once, in the action's result, and is never stored in clear for bearer tokens.
export const createSourceAction = defineAction({ name: "alert.source.create", schema: createSourceSchema, permission: "alerts.configure", revalidate: ["/alerts/sources"] }, async (input, ctx) => {
  const { source, secret } = await createSource(ctx, input);
  return { id: source.id, name: source.name, webhookPath: source.webhookPath, authMode: source.authMode, secret };
});

export const rotateSourceAction = defineAction({ name: "alert.source.rotate", schema: sourceRefSchema, permission: "alerts.configure", revalidate: ["/alerts/sources"] }, async (input, ctx) => {
  const { source, secret } = await rotateSourceSecret(ctx, input);
  return { id: source.id, name: source.name, webhookPath: source.webhookPath, authMode: source.authMode, secret };
});

export const revokeSourceAction = defineAction({ name: "alert.source.revoke", schema: sourceRefSchema, permission: "alerts.configure", revalidate: ["/alerts/sources"], successMessage: "Revoked: its secret now gets 401." }, async (input, ctx) => {
  await revokeSource(ctx, input);
  return null;
});

export const updateSourceAction = defineAction({ name: "alert.source.update", schema: updateSourceSchema, permission: "alerts.configure", revalidate: ["/alerts/sources"], successMessage: "Saved." }, async (input, ctx) => {
  await updateSource(ctx, input);
  return null;
});

// Admin: routing rules.
const ruleResult = (r: { id: string; name: string }) => ({ id: r.id, name: r.name });
export const createRuleAction = defineAction({ name: "alert.routing.create", schema: createRuleSchema, permission: "alerts.configure", revalidate: ["/alerts/rules"], successMessage: "Rule added." }, async (input, ctx) => ruleResult(await createRoutingRule(ctx, input)));
export const updateRuleAction = defineAction({ name: "alert.routing.update", schema: updateRuleSchema, permission: "alerts.configure", revalidate: ["/alerts/rules"], successMessage: "Rule saved." }, async (input, ctx) => ruleResult(await updateRoutingRule(ctx, input)));
export const moveRuleAction = defineAction({ name: "alert.routing.move", schema: moveRuleSchema, permission: "alerts.configure", revalidate: ["/alerts/rules"] }, async (input, ctx) => ruleResult(await moveRoutingRule(ctx, input)));
export const deleteRuleAction = defineAction({ name: "alert.routing.delete", schema: deleteRuleSchema, permission: "alerts.configure", revalidate: ["/alerts/rules"], successMessage: "Rule deleted." }, (input, ctx) => deleteRoutingRule(ctx, input));

