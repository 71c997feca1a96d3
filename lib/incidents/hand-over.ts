import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { incidentRoles } from "@/db/schema/incidents";
import { can, requirePermission } from "@/lib/auth/permissions";
import { findUserById } from "@/lib/auth/users";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { readIncidentAt, recordChange, updateIncident, userRef } from "./record";
import { activeUser } from "./roles";
import { handOverSchema } from "./schemas";
import { incidentView, type IncidentView } from "./views";

/** Ends the current commander's term and starts the next one's, in one step. */
export async function handOverCommand(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.manage");
  const data = parseInput(handOverSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await readIncidentAt(tx, data.incidentId, data.version);
    if (current.status === "closed") throw new ValidationError("A closed incident has no one in command; reopen it first.");
    if (current.commanderId === data.toUserId) {
      throw new ValidationError("That person already has command.", { toUserId: ["Already in command."] });
    }
    const next = await activeUser(tx, data.toUserId, "toUserId");
    if (!can(next.role, "incidents.manage")) {
      throw new ValidationError("Command goes to a commander or an admin.", { toUserId: ["Choose a commander or an admin."] });
    }
    const previous = current.commanderId ? await findUserById(tx, current.commanderId) : undefined;
    // The version check first: a losing hand-over must not touch the role history.
    const updated = await updateIncident(tx, current, data.version, { commanderId: next.id });
    const now = new Date();
    await tx
      .update(incidentRoles)
      .set({ endedAt: now, endedBy: userRef(ctx.actor) })
      .where(and(eq(incidentRoles.incidentId, current.id), eq(incidentRoles.role, "commander"), isNull(incidentRoles.endedAt)));
    // Taking command yourself needs no acknowledgement; being handed it does.
    const acknowledgedAt = next.id === ctx.actor.userId ? now : null;
    await tx.insert(incidentRoles).values({ incidentId: current.id, role: "commander", userId: next.id, startedAt: now, assignedBy: userRef(ctx.actor), acknowledgedAt });
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.command.hand_over",
        targetType: "incident",
        targetId: current.id,
        before: { commanderId: current.commanderId, version: current.version },
        after: { commanderId: next.id, version: updated.version, note: data.note || undefined },
      },
      {
        incidentId: current.id,
        kind: "command.handed_over",
        occurredAt: now,
        body: `Command handed from ${previous?.name ?? "nobody"} to ${next.name}${data.note ? `: ${data.note}` : ""}`,
        payload: { fromUserId: current.commanderId, fromName: previous?.name ?? null, toUserId: next.id, toName: next.name, note: data.note || null },
      },
    );
    return incidentView(updated);
  });
}
