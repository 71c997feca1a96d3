import "server-only";
import { and, asc, eq, isNull, notInArray } from "drizzle-orm";
import { incidentRoles, incidents } from "@/db/schema/incidents";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { formatNumber } from "./state-machine";

export type MyAssignment = { incidentId: string; ref: string; title: string; severity: string; status: string; role: string; since: string; needsAcknowledgement: boolean };

/** The roles the signed-in person holds on incidents that are not closed, most severe first. */
export async function myAssignments(ctx: Ctx): Promise<MyAssignment[]> {
  requirePermission(ctx.actor, "incidents.read");
  const rows = await ctx.db
    .select({ role: incidentRoles, incident: incidents })
    .from(incidentRoles)
    .innerJoin(incidents, eq(incidents.id, incidentRoles.incidentId))
    .where(and(eq(incidentRoles.userId, ctx.actor.userId), isNull(incidentRoles.endedAt), notInArray(incidents.status, ["closed"])))
    .orderBy(asc(incidents.severity), asc(incidents.declaredAt));
  return rows.map(({ role, incident }) => ({
    incidentId: incident.id,
    ref: formatNumber(incident.number),
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    role: role.role,
    since: role.startedAt.toISOString(),
    needsAcknowledgement: role.role === "commander" && !role.acknowledgedAt,
  }));
}
