import "server-only";
import { and, asc, desc, eq, gte, inArray, isNull, notInArray, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema/users";
import { environmentSurfaces, environments } from "@/db/schema/environments";
import { incidentRoles, incidents, type Severity } from "@/db/schema/incidents";
import {
  maintenanceWindows,
  publicUpdates,
  statusComponentStates,
  statusComponents,
  statusReminderCadences,
  statusSettings,
  statusTemplates,
  webhookAttempts,
  webhookDeliveries,
  webhookSubscribers,
  type ComponentState,
  type PublicUpdateStatus,
} from "@/db/schema/status";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { NotFoundError } from "@/lib/errors";
import { formatNumber } from "@/lib/incidents/state-machine";
import { peopleNames } from "./public-checks";
import { fillTemplate, findSensitive } from "./public-text";
import { publisherRole } from "./updates";

// Reads for the console (status admin and the incident page's panel). Never used by /status.

async function namesOf(db: Db, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id)))];
  if (!wanted.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export type Suggestion = { state: ComponentState; reason: string } | null;

/** What the health board and open incidents suggest; a person decides what is published. */
export function suggestState(surface: { name: string; state: "unknown" | "up" | "down"; lastError: string | null } | null, openIncidents: { number: number; surfaces: string[] }[]): Suggestion {
  if (!surface) return null;
  const incident = openIncidents.find((i) => i.surfaces.some((s) => s.toLowerCase() === surface.name.toLowerCase()));
  if (surface.state === "down") return { state: "major_outage", reason: `health check failing${surface.lastError ? ` (${surface.lastError})` : ""}` };
  if (incident) return { state: "partial_outage", reason: `${formatNumber(incident.number)} is open on this surface` };
  if (surface.state === "up") return { state: "operational", reason: "health check passing" };
  return null;
}

/** The health board's suggestion for each component (by its mapped surface and the open incidents). */
async function componentSuggestions(db: Db, components: { id: string; surfaceId: string | null }[]): Promise<Map<string, Suggestion>> {
  const [settings] = await db.select({ environmentIds: statusSettings.environmentIds }).from(statusSettings).where(eq(statusSettings.id, 1));
  const chosen = settings?.environmentIds ?? [];
  const surfaceIds = components.map((c) => c.surfaceId).filter((id): id is string => !!id);
  const surfaces =
    chosen.length && surfaceIds.length
      ? await db
          .select({ id: environmentSurfaces.id, name: environmentSurfaces.name, state: environmentSurfaces.state, lastError: environmentSurfaces.lastError })
          .from(environmentSurfaces)
          .where(and(inArray(environmentSurfaces.environmentId, chosen), inArray(environmentSurfaces.id, surfaceIds)))
      : [];
  const open = await db.select({ number: incidents.number, surfaces: incidents.surfaces }).from(incidents).where(notInArray(incidents.status, ["resolved", "closed"]));
  const bySurface = new Map(surfaces.map((s) => [s.id, s]));
  return new Map(components.map((c) => [c.id, suggestState(c.surfaceId ? bySurface.get(c.surfaceId) ?? null : null, open)]));
}

export async function getStatusAdmin(ctx: Ctx) {
  requirePermission(ctx.actor, "status.publish");
  const db = ctx.db;
  const [settings] = await db.select().from(statusSettings).where(eq(statusSettings.id, 1));
  const envs = await db.select({ id: environments.id, name: environments.name, kind: environments.kind }).from(environments).orderBy(asc(environments.name));
  const chosen = settings?.environmentIds ?? [];
  const surfaces = chosen.length
    ? await db
        .select({ id: environmentSurfaces.id, name: environmentSurfaces.name, state: environmentSurfaces.state, lastError: environmentSurfaces.lastError, environmentName: environments.name })
        .from(environmentSurfaces)
        .innerJoin(environments, eq(environments.id, environmentSurfaces.environmentId))
        .where(inArray(environmentSurfaces.environmentId, chosen))
        .orderBy(asc(environments.name), asc(environmentSurfaces.position))
    : [];
  const open = await db.select({ number: incidents.number, surfaces: incidents.surfaces }).from(incidents).where(notInArray(incidents.status, ["resolved", "closed"]));
  const components = await db.select().from(statusComponents).where(isNull(statusComponents.archivedAt)).orderBy(asc(statusComponents.groupName), asc(statusComponents.position), asc(statusComponents.name));
  const lastChanges = components.length
    ? await db
        .selectDistinctOn([statusComponentStates.componentId], { componentId: statusComponentStates.componentId, publishedBy: statusComponentStates.publishedBy, publishedAt: statusComponentStates.publishedAt })
        .from(statusComponentStates)
        .where(inArray(statusComponentStates.componentId, components.map((c) => c.id)))
        .orderBy(statusComponentStates.componentId, desc(statusComponentStates.publishedAt))
    : [];
  const windows = await db
    .select()
    .from(maintenanceWindows)
    .where(or(gte(maintenanceWindows.endsAt, new Date(Date.now() - 7 * 86_400_000))))
    .orderBy(desc(maintenanceWindows.startsAt))
    .limit(50);
  const templates = await db.select().from(statusTemplates).orderBy(asc(statusTemplates.severity), asc(statusTemplates.status));
  const cadences = await db.select().from(statusReminderCadences).orderBy(asc(statusReminderCadences.severity));
  const subscribers = await db
    .select({ id: webhookSubscribers.id, url: webhookSubscribers.url, description: webhookSubscribers.description, active: webhookSubscribers.active, version: webhookSubscribers.version, createdAt: webhookSubscribers.createdAt })
    .from(webhookSubscribers)
    .orderBy(asc(webhookSubscribers.createdAt));
  const names = await namesOf(db, [...lastChanges.map((c) => c.publishedBy), settings?.updatedBy]);
  const bySurface = new Map(surfaces.map((s) => [s.id, s]));
  const last = new Map(lastChanges.map((c) => [c.componentId, c]));
  return {
    settings: settings ?? null,
    environments: envs.map((e) => ({ ...e, chosen: chosen.includes(e.id) })),
    surfaces,
    components: components.map((c) => {
      const surface = c.surfaceId ? bySurface.get(c.surfaceId) ?? null : null;
      const change = last.get(c.id);
      return {
        id: c.id,
        name: c.name,
        description: c.description,
        groupName: c.groupName,
        position: c.position,
        surfaceId: c.surfaceId,
        surfaceLabel: surface ? `${surface.environmentName} · ${surface.name}` : null,
        health: surface?.state ?? null,
        state: c.state,
        version: c.version,
        stateChangedAt: c.stateChangedAt,
        lastPublishedBy: change ? names.get(change.publishedBy) ?? "Sitrep" : null,
        suggestion: suggestState(surface, open),
      };
    }),
    maintenance: windows,
    templates,
    cadences,
    subscribers,
  };
}

/** Recent deliveries of one subscriber with every attempt, newest first. */
export async function listDeliveries(ctx: Ctx, subscriberId: string, limit = 50) {
  requirePermission(ctx.actor, "status.manage");
  const deliveries = await ctx.db
    .select({
      id: webhookDeliveries.id,
      event: webhookDeliveries.event,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseCode: webhookDeliveries.responseCode,
      error: webhookDeliveries.error,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.subscriberId, subscriberId))
    .orderBy(desc(webhookDeliveries.createdAt))
    .limit(limit);
  const attempts = deliveries.length
    ? await ctx.db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveries.map((d) => d.id))).orderBy(asc(webhookAttempts.attempt))
    : [];
  return deliveries.map((d) => ({ ...d, log: attempts.filter((a) => a.deliveryId === d.id) }));
}

export type Reminder = { cadenceMinutes: number; lastPublishedAt: Date | null; dueAt: Date; overdue: boolean } | null;

/** When the next public update of an open incident is due, per its severity's cadence. */
export function nextUpdateDue(incident: { severity: Severity; status: string; declaredAt: Date }, cadenceMinutes: number | null | undefined, lastPublishedAt: Date | null, now = new Date()): Reminder {
  if (!cadenceMinutes || incident.status === "resolved" || incident.status === "closed") return null;
  const from = lastPublishedAt ?? incident.declaredAt;
  const dueAt = new Date(from.getTime() + cadenceMinutes * 60_000);
  return { cadenceMinutes, lastPublishedAt, dueAt, overdue: dueAt.getTime() <= now.getTime() };
}

/** The public status an update starts from, following the incident's own stage. */
function publicStatusFor(status: string): PublicUpdateStatus {
  if (status === "resolved" || status === "closed") return "resolved";
  if (status === "monitoring") return "monitoring";
  if (status === "identified" || status === "mitigating") return "identified";
  return "investigating";
}

/** Everything the incident page's "Public updates" panel shows. */
export async function getIncidentStatusPanel(ctx: Ctx, incidentId: string) {
  requirePermission(ctx.actor, "incidents.read");
  const db = ctx.db;
  const [incident] = await db
    .select({ id: incidents.id, number: incidents.number, title: incidents.title, severity: incidents.severity, status: incidents.status, declaredAt: incidents.declaredAt })
    .from(incidents)
    .where(eq(incidents.id, incidentId));
  if (!incident) throw new NotFoundError("That incident does not exist.");
  const updates = await db.select().from(publicUpdates).where(eq(publicUpdates.incidentId, incidentId)).orderBy(desc(publicUpdates.createdAt));
  const [cadence] = await db.select().from(statusReminderCadences).where(eq(statusReminderCadences.severity, incident.severity));
  const templates = await db.select({ status: statusTemplates.status, body: statusTemplates.body }).from(statusTemplates).where(eq(statusTemplates.severity, incident.severity));
  const componentRows = await db
    .select({ id: statusComponents.id, name: statusComponents.name, groupName: statusComponents.groupName, state: statusComponents.state, surfaceId: statusComponents.surfaceId })
    .from(statusComponents)
    .where(isNull(statusComponents.archivedAt))
    .orderBy(asc(statusComponents.groupName), asc(statusComponents.position), asc(statusComponents.name));
  const [comms] = await db
    .select({ userId: incidentRoles.userId })
    .from(incidentRoles)
    .where(and(eq(incidentRoles.incidentId, incidentId), eq(incidentRoles.role, "comms"), isNull(incidentRoles.endedAt)));
  const names = await namesOf(db, [...updates.flatMap((u) => [u.createdBy, u.publishedBy, u.correctedBy, u.retractedBy]), comms?.userId]);
  const published = updates.filter((u) => !u.draft);
  const standing = published.filter((u) => !u.retractedAt);
  const role = await publisherRole(db, ctx.actor, incidentId);
  const lastPublishedAt = published[0]?.publishedAt ?? null;
  const cadenceMinutes = cadence?.minutes ?? null;
  const people = await peopleNames(db);
  // What each component starts at in the form: what this incident last said about it, else the
  // health board's suggestion when it is not "operational" (the first update must not read
  // "All systems operational" above a live incident).
  const suggestions = await componentSuggestions(db, componentRows);
  const lastSaid = new Map<string, ComponentState>();
  for (const u of [...standing].reverse()) for (const c of u.components) lastSaid.set(c.componentId, c.state);
  const components = componentRows.map(({ surfaceId: _surface, ...c }) => {
    const suggestion = suggestions.get(c.id) ?? null;
    const said = lastSaid.get(c.id);
    return {
      ...c,
      suggestion,
      /** Pre-filled for an update that is not "resolved" ("" = not affected). */
      prefill: said ?? (suggestion && suggestion.state !== "operational" ? suggestion.state : ""),
      /** Pre-filled for the final ("resolved") update. */
      prefillResolved: said || c.state !== "operational" ? "operational" : "",
    };
  });
  const checkOptions = { people, cadenceMinutes };
  return {
    incident: { ...incident, ref: formatNumber(incident.number) },
    canPublish: !!role && ctx.actor.role !== "viewer",
    publisherRole: role,
    isCommsLead: comms?.userId === ctx.actor.userId,
    commsLeadName: comms ? names.get(comms.userId) ?? null : null,
    reminder: incident.severity === "SEV3" && !cadence?.minutes ? null : nextUpdateDue(incident, cadence?.minutes, lastPublishedAt),
    publicTitle: published[0]?.title ?? updates[0]?.title ?? "",
    /** What the status page says about the incident now (null: nothing public yet). */
    publicStatus: standing[0]?.status ?? null,
    defaultStatus: publicStatusFor(incident.status),
    cadenceMinutes,
    /** Names the check before publish looks for (the console's people). */
    people,
    templates: Object.fromEntries(templates.map((t) => [t.status, fillTemplate(t.body, cadenceMinutes)])) as Record<string, string>,
    components,
    updates: updates.map((u) => ({
      id: u.id,
      title: u.title,
      status: u.status,
      message: u.message,
      components: u.components.map((c) => ({ ...c, name: componentRows.find((k) => k.id === c.componentId)?.name ?? "(removed)" })),
      draft: u.draft,
      version: u.version,
      createdAt: u.createdAt,
      createdByName: names.get(u.createdBy) ?? "Sitrep",
      publishedAt: u.publishedAt,
      publishedByName: u.publishedBy ? names.get(u.publishedBy) ?? "Sitrep" : null,
      correctedAt: u.correctedAt,
      correctedByName: u.correctedBy ? names.get(u.correctedBy) ?? "Sitrep" : null,
      retractedAt: u.retractedAt,
      retractedByName: u.retractedBy ? names.get(u.retractedBy) ?? "Sitrep" : null,
      retractionReason: u.retractionReason,
      /** For a draft: what the check before publish finds in it (publishing asks for confirmation). */
      titleFindings: u.draft ? findSensitive(u.title, checkOptions) : [],
      messageFindings: u.draft ? findSensitive(u.message, checkOptions) : [],
    })),
  };
}

export type IncidentStatusPanel = Awaited<ReturnType<typeof getIncidentStatusPanel>>;
export type StatusAdmin = Awaited<ReturnType<typeof getStatusAdmin>>;
