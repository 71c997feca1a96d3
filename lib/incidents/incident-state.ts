import "server-only";
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { incidentChecklistItems, incidentChecklists, incidentRoles, incidents, timelineEvents } from "@/db/schema/incidents";
import { users } from "@/db/schema/users";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { NotFoundError } from "@/lib/errors";
import { recoveryGate } from "@/lib/recovery";
import { publicStatusOf } from "@/lib/status/public-checks";
import { publicUpdatesDue } from "@/lib/status/reminders";
import { noteHtml } from "./note-html";
import { currentSeq, type ChecklistView, type RoleAssignmentView } from "./queries";
import { ACTIVE_STATUSES } from "./state-machine";
import { incidentView, type IncidentView } from "./views";

export type PendingAcknowledgement = { userId: string; userName: string; fromName: string | null; note: string | null; since: string };
export type PublicUpdateDue = { dueAt: string; overdue: boolean; cadenceMinutes: number } | null;
/** A runbook step run for this incident (its step.started / step.finished events). */
export type StepRunView = { executionId: string; runbook: string; stepId: string; description: string; state: string; startedAt: string };

export type IncidentState = {
  incident: IncidentView;
  /** The summary's markdown rendered on the server (note-html.ts). */
  summaryHtml: string;
  commanderName: string | null;
  roles: RoleAssignmentView[];
  checklists: ChecklistView[];
  /** Command handed to someone who has not acknowledged it yet. */
  pendingAcknowledgement: PendingAcknowledgement | null;
  /** Why "resolved" would be refused right now (recovery validation), or null. */
  resolveBlockedBy: string | null;
  publicUpdateDue: PublicUpdateDue;
  /** What the status page says about this incident now (its latest standing public update), or null if never public. */
  publicStatus: "investigating" | "identified" | "monitoring" | "resolved" | null;
  stepRuns: StepRunView[];
  latestSeq: number;
};

/**
 * The incident without its timeline: header, roles, checklists and what the command view needs
 * to decide (acknowledgement, recovery gate, next public update, steps run). Cheap to re-read on
 * every live event: nothing in it scans the timeline, however long it is.
 */
export async function getIncidentState(ctx: Ctx, idOrRef: string): Promise<IncidentState> {
  requirePermission(ctx.actor, "incidents.read");
  const number = /^(?:inc-?)?(\d{1,9})$/i.exec(idOrRef)?.[1];
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrRef);
  if (!number && !isUuid) throw new NotFoundError("That incident does not exist.");
  const db = ctx.db;
  // Read the stream position first: anything committed after it arrives through the stream.
  const latestSeq = await currentSeq(db);
  const [row] = await db
    .select({ incident: incidents, commanderName: users.name })
    .from(incidents)
    .leftJoin(users, eq(users.id, incidents.commanderId))
    .where(number ? eq(incidents.number, Number(number)) : eq(incidents.id, idOrRef))
    .limit(1);
  if (!row) throw new NotFoundError("That incident does not exist.");
  const id = row.incident.id;
  const active = ACTIVE_STATUSES.includes(row.incident.status);
  const [roles, lists, due, gate, steps, publicStatus] = await Promise.all([
    db
      .select({ a: incidentRoles, userName: users.name })
      .from(incidentRoles)
      .innerJoin(users, eq(users.id, incidentRoles.userId))
      .where(eq(incidentRoles.incidentId, id))
      .orderBy(asc(incidentRoles.startedAt)),
    db.select().from(incidentChecklists).where(eq(incidentChecklists.incidentId, id)).orderBy(asc(incidentChecklists.createdAt)),
    publicUpdatesDue(db, [row.incident]),
    active ? recoveryGate(db, id) : Promise.resolve(null),
    db
      .select({ kind: timelineEvents.kind, body: timelineEvents.body, payload: timelineEvents.payload, occurredAt: timelineEvents.occurredAt })
      .from(timelineEvents)
      .where(and(eq(timelineEvents.incidentId, id), inArray(timelineEvents.kind, ["step.started", "step.finished"])))
      .orderBy(desc(timelineEvents.seq))
      .limit(100),
    publicStatusOf(db, id),
  ]);
  const items = lists.length
    ? await db
        .select({ item: incidentChecklistItems, doneByName: users.name })
        .from(incidentChecklistItems)
        .leftJoin(users, eq(users.id, incidentChecklistItems.doneBy))
        .where(inArray(incidentChecklistItems.checklistId, lists.map((l) => l.id)))
        .orderBy(asc(incidentChecklistItems.position))
    : [];
  const roleViews: RoleAssignmentView[] = roles.map(({ a, userName }) => ({
    id: a.id,
    role: a.role,
    userId: a.userId,
    userName,
    startedAt: a.startedAt.toISOString(),
    endedAt: a.endedAt?.toISOString() ?? null,
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
  }));
  const reminder = due.get(id);
  return {
    incident: incidentView(row.incident),
    summaryHtml: row.incident.summary ? noteHtml(row.incident.summary) : "",
    commanderName: row.commanderName,
    roles: roleViews,
    checklists: lists.map((l) => ({
      id: l.id,
      kind: l.kind,
      title: l.title,
      items: items
        .filter((i) => i.item.checklistId === l.id)
        .map(({ item, doneByName }) => ({ id: item.id, text: item.text, done: item.done, doneAt: item.doneAt?.toISOString() ?? null, doneByName, version: item.version })),
    })),
    pendingAcknowledgement: row.incident.status === "closed" ? null : await pendingAcknowledgement(ctx, id, roleViews),
    resolveBlockedBy: gate,
    publicUpdateDue: reminder ? { dueAt: reminder.dueAt.toISOString(), overdue: reminder.overdue, cadenceMinutes: reminder.cadenceMinutes } : null,
    publicStatus,
    stepRuns: stepRunsOf(steps),
    latestSeq,
  };
}

/** The open commander term nobody has acknowledged, with the hand-over note that started it. */
async function pendingAcknowledgement(ctx: Ctx, incidentId: string, roles: RoleAssignmentView[]): Promise<PendingAcknowledgement | null> {
  const term = roles.find((r) => r.role === "commander" && !r.endedAt && !r.acknowledgedAt);
  if (!term) return null;
  const [handOver] = await ctx.db
    .select({ payload: timelineEvents.payload, actorName: timelineEvents.actorName })
    .from(timelineEvents)
    .where(and(eq(timelineEvents.incidentId, incidentId), inArray(timelineEvents.kind, ["command.handed_over", "incident.declared"])))
    .orderBy(desc(timelineEvents.seq))
    .limit(1);
  const payload = (handOver?.payload ?? {}) as { fromName?: string | null; note?: string | null };
  // A hand-over names the previous commander; a declaration for someone else, its declarer.
  return { userId: term.userId, userName: term.userName, fromName: payload.fromName ?? handOver?.actorName ?? null, note: payload.note ?? null, since: term.startedAt };
}

/** Newest first: each run once, with its outcome when it has finished. */
function stepRunsOf(events: { kind: string; body: string; payload: Record<string, unknown>; occurredAt: Date }[]): StepRunView[] {
  const finished = new Map<string, string>();
  for (const e of events) if (e.kind === "step.finished") finished.set(String(e.payload.executionId), String(e.payload.state ?? "finished"));
  return events
    .filter((e) => e.kind === "step.started" && typeof e.payload.executionId === "string")
    .slice(0, 20)
    .map((e) => ({
      executionId: String(e.payload.executionId),
      runbook: String(e.payload.runbook ?? ""),
      stepId: String(e.payload.stepId ?? ""),
      description: e.body,
      state: finished.get(String(e.payload.executionId)) ?? "running",
      startedAt: e.occurredAt.toISOString(),
    }));
}
