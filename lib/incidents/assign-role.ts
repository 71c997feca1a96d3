import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { incidentRoles } from "@/db/schema/incidents";
import { users } from "@/db/schema/users";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { readIncidentAt, recordChange, updateIncident, userRef } from "./record";
import { ROLE_LABELS, activeUser } from "./roles";
import { assignRoleSchema, endRoleSchema } from "./schemas";
import { incidentView, type IncidentView } from "./views";

/**
 * Gives someone the scribe or comms role (replacing the holder, whose term ends) or adds a
 * responder. Command changes hands through handOverCommand.
 */
export async function assignRole(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.manage");
  const data = parseInput(assignRoleSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await readIncidentAt(tx, data.incidentId, data.version);
    if (current.status === "closed") throw new ValidationError("Reopen the incident before changing its roles.");
    const user = await activeUser(tx, data.userId, "userId");
    const holders = await tx
      .select({ id: incidentRoles.id, userId: incidentRoles.userId, name: users.name })
      .from(incidentRoles)
      .innerJoin(users, eq(users.id, incidentRoles.userId))
      .where(and(eq(incidentRoles.incidentId, current.id), eq(incidentRoles.role, data.role), isNull(incidentRoles.endedAt)));
    if (holders.some((h) => h.userId === user.id)) {
      throw new ValidationError(`${user.name} is already ${ROLE_LABELS[data.role].toLowerCase()}.`, { userId: ["Already holds this role."] });
    }
    const updated = await updateIncident(tx, current, data.version, {});
    const now = new Date();
    const replaced = data.role === "responder" ? [] : holders;
    for (const h of replaced) {
      await tx.update(incidentRoles).set({ endedAt: now, endedBy: userRef(ctx.actor) }).where(eq(incidentRoles.id, h.id));
    }
    const [assignment] = await tx
      .insert(incidentRoles)
      .values({ incidentId: current.id, role: data.role, userId: user.id, startedAt: now, assignedBy: userRef(ctx.actor) })
      .returning();
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.role.assign",
        targetType: "incident",
        targetId: current.id,
        before: { holders: replaced.map((h) => h.userId) },
        after: { role: data.role, userId: user.id, assignmentId: assignment.id, version: updated.version },
      },
      {
        incidentId: current.id,
        kind: "role.assigned",
        occurredAt: now,
        body: `${user.name} is ${ROLE_LABELS[data.role].toLowerCase()}${replaced.length ? ` (replacing ${replaced.map((h) => h.name).join(", ")})` : ""}`,
        payload: { role: data.role, userId: user.id, userName: user.name, replaced: replaced.map((h) => ({ userId: h.userId, name: h.name })) },
      },
    );
    return incidentView(updated);
  });
}

/** Ends a scribe, comms or responder term. The commander's term ends only by a hand-over. */
export async function endRole(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.manage");
  const data = parseInput(endRoleSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await readIncidentAt(tx, data.incidentId, data.version);
    const [row] = await tx
      .select({ id: incidentRoles.id, role: incidentRoles.role, userId: incidentRoles.userId, endedAt: incidentRoles.endedAt, name: users.name })
      .from(incidentRoles)
      .innerJoin(users, eq(users.id, incidentRoles.userId))
      .where(and(eq(incidentRoles.id, data.assignmentId), eq(incidentRoles.incidentId, current.id)))
      .limit(1);
    if (!row || row.endedAt) throw new NotFoundError("That role assignment is not active.");
    if (row.role === "commander") throw new ValidationError("Hand over command instead of ending it.");
    const updated = await updateIncident(tx, current, data.version, {});
    const now = new Date();
    await tx.update(incidentRoles).set({ endedAt: now, endedBy: userRef(ctx.actor) }).where(eq(incidentRoles.id, row.id));
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.role.end",
        targetType: "incident",
        targetId: current.id,
        before: { role: row.role, userId: row.userId, assignmentId: row.id },
        after: { version: updated.version },
      },
      {
        incidentId: current.id,
        kind: "role.ended",
        occurredAt: now,
        body: `${row.name} is no longer ${ROLE_LABELS[row.role].toLowerCase()}`,
        payload: { role: row.role, userId: row.userId, userName: row.name },
      },
    );
    return incidentView(updated);
  });
}
