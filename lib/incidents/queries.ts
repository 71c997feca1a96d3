import "server-only";
import { and, asc, desc, eq, gt, ilike, inArray, isNull, max, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  checklistTemplates,
  incidentChecklistItems,
  incidentChecklists,
  incidentRoles,
  incidents,
  sevDefinitions,
  timelineEvents,
  timelineNoteRevisions,
} from "@/db/schema/incidents";
import { environmentSurfaces } from "@/db/schema/environments";
import { users } from "@/db/schema/users";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { incidentFilterSchema } from "./schemas";
import { getIncidentState, type IncidentState } from "./incident-state";
import { withNoteHtml } from "./note-html";
import { incidentView, toEventView, type IncidentView, type TimelineEventView } from "./views";

export type IncidentListItem = IncidentView & { commanderName: string | null; open: boolean };

const isOpen = sql<boolean>`${incidents.status} not in ('resolved', 'closed')`;
const severityRank = sql`case ${incidents.severity} when 'SEV1' then 1 when 'SEV2' then 2 else 3 end`;

/** Open incidents first, by severity then age (oldest first); then the rest, newest first. */
export async function listIncidents(ctx: Ctx, input: unknown = {}): Promise<{ incidents: IncidentListItem[]; latestSeq: number }> {
  requirePermission(ctx.actor, "incidents.read");
  const f = parseInput(incidentFilterSchema, input);
  const where: SQL[] = [];
  if (f.status === "open") where.push(isOpen);
  else if (f.status) where.push(eq(incidents.status, f.status));
  if (f.severity) where.push(eq(incidents.severity, f.severity));
  if (f.commanderId) where.push(eq(incidents.commanderId, f.commanderId));
  if (f.surface) where.push(sql`exists (select 1 from jsonb_array_elements_text(${incidents.surfaces}) s where lower(s) = lower(${f.surface}))`);
  if (f.q) {
    const number = /^(?:inc-?)?(\d{1,9})$/i.exec(f.q)?.[1];
    const byTitle = ilike(incidents.title, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(number ? or(byTitle, eq(incidents.number, Number(number)))! : byTitle);
  }
  const latestSeq = await currentSeq(ctx.db);
  const rows = await ctx.db
    .select({ incident: incidents, commanderName: users.name, open: isOpen })
    .from(incidents)
    .leftJoin(users, eq(users.id, incidents.commanderId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(
      desc(isOpen),
      sql`case when ${isOpen} then ${severityRank} else 0 end`,
      sql`case when ${isOpen} then extract(epoch from ${incidents.declaredAt}) else -extract(epoch from ${incidents.declaredAt}) end`,
    )
    .limit(f.limit);
  return { incidents: rows.map((r) => ({ ...incidentView(r.incident), commanderName: r.commanderName, open: !!r.open })), latestSeq };
}

/** The newest event number: a page rendered now resumes its live stream after it. */
/** Sequence numbers committed after `after`, oldest first (the live gap check; index range scan). */
export async function seqsAfter(db: Db, after: number, limit = 20_000): Promise<number[]> {
  const rows = await db.select({ seq: timelineEvents.seq }).from(timelineEvents).where(gt(timelineEvents.seq, after)).orderBy(asc(timelineEvents.seq)).limit(limit);
  return rows.map((r) => Number(r.seq));
}

export async function currentSeq(db: Db): Promise<number> {
  const [row] = await db.select({ seq: max(timelineEvents.seq) }).from(timelineEvents);
  return Number(row?.seq ?? 0);
}

export type RoleAssignmentView = {
  id: string;
  role: "commander" | "scribe" | "comms" | "responder";
  userId: string;
  userName: string;
  startedAt: string;
  endedAt: string | null;
  acknowledgedAt: string | null;
};
export type ChecklistView = {
  id: string;
  kind: string;
  title: string;
  items: { id: string; text: string; done: boolean; doneAt: string | null; doneByName: string | null; version: number }[];
};
export type NoteRevisionView = { revision: number; body: string; writtenAt: string; writtenByName: string | null };

export type IncidentDetail = IncidentState & {
  timeline: TimelineEventView[];
  revisions: Record<number, NoteRevisionView[]>;
};

/** Everything about an incident with its whole timeline (oldest first), by id or INC number: the JSON API and CLI. */
export async function getIncidentDetail(ctx: Ctx, idOrRef: string): Promise<IncidentDetail> {
  const state = await getIncidentState(ctx, idOrRef);
  const events = await ctx.db.select().from(timelineEvents).where(eq(timelineEvents.incidentId, state.incident.id)).orderBy(asc(timelineEvents.seq));
  return {
    ...state,
    timeline: events.map(toEventView),
    revisions: await noteRevisions(ctx.db, events),
    latestSeq: Math.max(state.latestSeq, ...events.map((e) => Number(e.seq))),
  };
}

/** The revision history of the edited notes among `events`. */
export async function noteRevisions(db: Db, events: { kind: string; seq: number; editedAt: Date | null }[]): Promise<Record<number, NoteRevisionView[]>> {
  const noteSeqs = events.filter((e) => e.kind === "note" && e.editedAt).map((e) => Number(e.seq));
  const rows = noteSeqs.length
    ? await db.select().from(timelineNoteRevisions).where(inArray(timelineNoteRevisions.eventSeq, noteSeqs)).orderBy(asc(timelineNoteRevisions.revision))
    : [];
  const revisions: Record<number, NoteRevisionView[]> = {};
  for (const r of rows) {
    (revisions[Number(r.eventSeq)] ??= []).push({ revision: r.revision, body: r.body, writtenAt: r.writtenAt.toISOString(), writtenByName: r.writtenByName });
  }
  return revisions;
}

/** Timeline of one incident, optionally by kind and by person. */
export async function listTimeline(ctx: Ctx, incidentId: string, filter: { kinds?: string[]; actorId?: string } = {}) {
  requirePermission(ctx.actor, "incidents.read");
  const where: SQL[] = [eq(timelineEvents.incidentId, incidentId)];
  if (filter.kinds?.length) where.push(inArray(timelineEvents.kind, filter.kinds));
  if (filter.actorId) where.push(eq(timelineEvents.actorId, filter.actorId));
  const rows = await ctx.db.select().from(timelineEvents).where(and(...where)).orderBy(asc(timelineEvents.seq));
  return rows.map(toEventView);
}

/** Events after a stream position, for replay on (re)connect. No permission check: callers do it. */
export async function eventsAfter(db: Db, afterSeq: number, incidentId?: string, limit = 1000): Promise<TimelineEventView[]> {
  const where = incidentId ? and(gt(timelineEvents.seq, afterSeq), eq(timelineEvents.incidentId, incidentId)) : gt(timelineEvents.seq, afterSeq);
  const rows = await db.select().from(timelineEvents).where(where).orderBy(asc(timelineEvents.seq)).limit(limit);
  return rows.map((row) => withNoteHtml(toEventView(row)));
}

export async function eventBySeq(db: Db, seq: number): Promise<TimelineEventView | null> {
  const [row] = await db.select().from(timelineEvents).where(eq(timelineEvents.seq, seq)).limit(1);
  return row ? withNoteHtml(toEventView(row)) : null;
}

export async function listSevDefinitions(ctx: Ctx) {
  requirePermission(ctx.actor, "incidents.read");
  return ctx.db.select().from(sevDefinitions).orderBy(asc(sevDefinitions.severity));
}

export async function listChecklistTemplates(ctx: Ctx) {
  requirePermission(ctx.actor, "incidents.read");
  const rows = await ctx.db.select().from(checklistTemplates);
  const order = ["first_five_minutes", "recovery_validation", "post_incident"];
  return rows.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

/** Active people who can hold an incident role, for pickers. */
export async function listAssignableUsers(ctx: Ctx) {
  requirePermission(ctx.actor, "incidents.read");
  return ctx.db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(isNull(users.disabledAt))
    .orderBy(asc(users.name));
}

/** Surface names to suggest: the environments' surfaces plus those used on earlier incidents. */
export async function surfaceSuggestions(ctx: Ctx): Promise<string[]> {
  requirePermission(ctx.actor, "incidents.read");
  const [fromEnvs, fromIncidents] = await Promise.all([
    ctx.db.selectDistinct({ name: environmentSurfaces.name }).from(environmentSurfaces),
    ctx.db.execute(sql`select distinct jsonb_array_elements_text(surfaces) as name from incidents`),
  ]);
  const used = (Array.isArray(fromIncidents) ? fromIncidents : (fromIncidents as { rows: unknown[] }).rows) as { name: string }[];
  return [...new Set([...fromEnvs.map((r) => r.name), ...used.map((r) => r.name)])].sort((a, b) => a.localeCompare(b));
}
