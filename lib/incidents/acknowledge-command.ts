import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { incidentRoles } from "@/db/schema/incidents";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { readIncident, recordChange } from "./record";
import { acknowledgeCommandSchema } from "./schemas";
import { incidentView, type IncidentView } from "./views";

/**
 * The person command was handed to says they have it. Only the current commander can, once per
 * term; the incident row is not touched, so acknowledging never conflicts with a status change.
 */
export async function acknowledgeCommand(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.manage");
  const data = parseInput(acknowledgeCommandSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await readIncident(tx, data.incidentId);
    if (current.status === "closed") throw new ValidationError("The incident is closed; there is no command to take.");
    if (current.commanderId !== ctx.actor.userId) throw new ValidationError("Only the person in command can acknowledge it.");
    const now = new Date();
    const [term] = await tx
      .update(incidentRoles)
      .set({ acknowledgedAt: now })
      .where(
        and(
          eq(incidentRoles.incidentId, current.id),
          eq(incidentRoles.role, "commander"),
          eq(incidentRoles.userId, ctx.actor.userId),
          isNull(incidentRoles.endedAt),
          isNull(incidentRoles.acknowledgedAt),
        ),
      )
      .returning({ id: incidentRoles.id, startedAt: incidentRoles.startedAt });
    if (!term) throw new ValidationError("You have already acknowledged command of this incident.");
    await recordChange(
      tx,
      ctx.actor,
      { action: "incident.command.acknowledge", targetType: "incident", targetId: current.id, after: { commanderId: ctx.actor.userId, termId: term.id } },
      {
        incidentId: current.id,
        kind: "command.acknowledged",
        occurredAt: now,
        body: `${ctx.actor.name} acknowledged command`,
        payload: { userId: ctx.actor.userId, userName: ctx.actor.name, waitedMs: now.getTime() - term.startedAt.getTime() },
      },
    );
    return incidentView(current);
  });
}
