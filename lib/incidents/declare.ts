import "server-only";
import { incidentRoles, incidents } from "@/db/schema/incidents";
import { findUserById } from "@/lib/auth/users";
import { can, requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { onceByKey } from "@/lib/idempotency";
import { attachChecklist } from "./checklists";
import { recordChange, userRef } from "./record";
import { declareSchema } from "./schemas";
import { formatNumber } from "./state-machine";
import { incidentView, type IncidentView } from "./views";

/** Opens an incident in triage with its commander and the first-five-minutes checklist. */
export async function declareIncident(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.declare");
  const data = parseInput(declareSchema, input);
  const commanderId = data.commanderId ?? userRef(ctx.actor);
  // Sitrep itself (an alert routing rule's auto-declare) may declare with command left to assign.
  if (!commanderId && ctx.actor.userId !== "system") throw new ValidationError("Choose a commander.", { commanderId: ["Choose a commander."] });
  return onceByKey(ctx.db, ctx.actor, "incident.declare", data.idempotencyKey, { ...data, idempotencyKey: undefined }, async (tx) => {
    const commander = commanderId ? await findUserById(tx, commanderId) : null;
    if (commanderId && (!commander || commander.disabledAt)) {
      throw new ValidationError("That commander cannot be chosen.", { commanderId: ["Choose an active user."] });
    }
    if (commander && !can(commander.role, "incidents.manage")) {
      throw new ValidationError("The commander must be able to run the incident.", { commanderId: ["Choose a commander or an admin to take command."] });
    }
    const now = new Date();
    const [incident] = await tx
      .insert(incidents)
      .values({
        title: data.title,
        severity: data.severity,
        summary: data.summary,
        surfaces: [...new Set(data.surfaces)],
        commanderId,
        detectedAt: data.detectedAt ?? now,
        detectedBy: userRef(ctx.actor),
        declaredAt: now,
        declaredBy: userRef(ctx.actor),
      })
      .returning();
    // Someone declaring for another commander waits for that commander to acknowledge.
    const acknowledgedAt = commanderId === ctx.actor.userId ? now : null;
    if (commanderId) await tx.insert(incidentRoles).values({ incidentId: incident.id, role: "commander", userId: commanderId, startedAt: now, assignedBy: userRef(ctx.actor), acknowledgedAt });
    const view = incidentView(incident);
    await recordChange(
      tx,
      ctx.actor,
      { action: "incident.declare", targetType: "incident", targetId: incident.id, after: view },
      {
        incidentId: incident.id,
        kind: "incident.declared",
        occurredAt: incident.detectedAt,
        body: `${formatNumber(incident.number)} declared as ${incident.severity}: ${incident.title}. Commander: ${commander?.name ?? "to be assigned"}.`,
        payload: { severity: incident.severity, commanderId, commanderName: commander?.name ?? null, surfaces: incident.surfaces, detectedAt: view.detectedAt },
      },
    );
    await attachChecklist(tx, ctx.actor, incident.id, "first_five_minutes");
    return view;
  });
}
