import "server-only";
import type { Actor } from "@/lib/actor";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { ValidationError } from "@/lib/errors";
import { declareIncident, type IncidentView } from "@/lib/incidents";
import { recordChange } from "@/lib/incidents/record";
import { parseInput } from "@/lib/validation";
import type { Db } from "@/db/client";
import type { Alert } from "@/db/schema";
import { attachRows, groupToAttach, readAlert } from "./attach";
import { durationWords } from "./format";
import { getAlert, type AlertView } from "./queries";
import { declareFromAlertSchema } from "./schemas";

/** What the declare form starts with for an alert: its title, the routed SEV and surfaces, a summary. */
export function declareDefaults(alert: Pick<AlertView, "title" | "name" | "labels" | "annotations" | "routing" | "startsAt" | "source" | "runbook">, now = Date.now()) {
  const where = alert.labels.environment ? ` (${alert.labels.environment})` : "";
  const lines = [
    `Alert **${alert.name}** from ${alert.source.name} firing for ${durationWords(now - new Date(alert.startsAt).getTime())}.`,
    alert.annotations.description ?? alert.annotations.summary ?? "",
    alert.annotations.value ? `Value: ${alert.annotations.value}` : "",
    alert.runbook ? `Runbook: ${alert.runbook.title}${alert.runbook.section ? ` › ${alert.runbook.section.title}` : ""}` : "",
    alert.routing.owner ? `Owner: ${alert.routing.owner}` : "",
  ];
  return {
    title: `${alert.title}${where}`.slice(0, 200),
    severity: alert.routing.suggestedSeverity,
    surfaces: alert.routing.surfaces,
    summary: lines.filter(Boolean).join("\n\n"),
  };
}

export type DeclareOutcome = IncidentView;

/** Declares inside `tx`, attaches the group, and notes what led to it (and which runbook to open). */
export async function declareForAlert(tx: Db, actor: Actor, view: AlertView, alert: Alert, fields: { title: string; severity: string; surfaces: string[] | string; summary: string }, kind: "alert.declared" | "alert.auto_declared"): Promise<IncidentView> {
  const incident = await declareIncident({ actor, db: tx }, { ...fields, detectedAt: alert.startsAt });
  const runbook = view.runbook ? { slug: view.runbook.slug, title: view.runbook.title, sectionId: view.runbook.section?.sectionId ?? null, sectionTitle: view.runbook.section?.title ?? null } : null;
  await recordChange(
    tx,
    actor,
    { action: kind === "alert.declared" ? "alert.declare" : "alert.auto_declare", targetType: "incident", targetId: incident.id, after: { alertId: alert.id, name: alert.name, rule: view.routing.rule?.name ?? null } },
    {
      incidentId: incident.id,
      kind,
      body: `${kind === "alert.declared" ? "Declared" : "Declared automatically by routing rule " + (view.routing.rule?.name ?? "")} from alert "${alert.title}"${runbook ? ` (runbook: ${runbook.title}${runbook.sectionTitle ? ` › ${runbook.sectionTitle}` : ""})` : ""}`,
      payload: { alertId: alert.id, name: alert.name, title: alert.title, sourceId: alert.sourceId, suggestedSeverity: view.routing.suggestedSeverity, rule: view.routing.rule?.name ?? null, runbook, playbook: runbook?.sectionTitle ?? alert.annotations.playbook ?? null },
    },
  );
  await attachRows(tx, actor, incident.id, await groupToAttach(tx, alert));
  return incident;
}

/** One-click declare from the inbox, pre-filled; the person may change any field first. */
export async function declareFromAlert(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.declare");
  const data = parseInput(declareFromAlertSchema, input);
  const view = await getAlert(ctx.db, data.alertId);
  const defaults = declareDefaults(view);
  return ctx.db.transaction(async (tx) => {
    const alert = await readAlert(tx, data.alertId);
    if (alert.incidentId) throw new ValidationError("This alert already led to an incident; open it from the inbox.", { alertId: ["Already attached."] });
    return declareForAlert(tx, ctx.actor, view, alert, { title: data.title || defaults.title, severity: data.severity ?? defaults.severity, surfaces: data.surfaces ?? defaults.surfaces, summary: data.summary ?? defaults.summary }, "alert.declared");
  });
}
