import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, timelineEvents, type Incident, type TimelineEvent } from "@/db/schema/incidents";
import type { Actor } from "@/lib/actor";
import { writeAudit, type AuditInput } from "@/lib/audit";
import { publish } from "@/lib/live";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { withNoteHtml } from "./note-html";
import { incidentView, toEventView } from "./views";

export const INCIDENT_CHANNEL = "incident_events";

export type EventInput = {
  incidentId: string;
  kind: string;
  body?: string;
  payload?: Record<string, unknown>;
  occurredAt?: Date;
};

/**
 * Writes the audit entry, then the timeline event, then the notification, all in the caller's
 * transaction. The audit entry comes first on purpose: writeAudit holds a transaction-wide lock,
 * so event sequence numbers are handed out in commit order and a stream resuming "after seq N"
 * can never miss an event that commits later with a smaller number.
 */
export async function recordChange(tx: Db, actor: Actor, audit: Omit<AuditInput, "actor">, event: EventInput): Promise<TimelineEvent> {
  await writeAudit(tx, { ...audit, actor });
  return appendEvent(tx, actor, event);
}

/** A further event in a transaction that already wrote its audit entry (and so holds the lock). */
export async function appendEvent(tx: Db, actor: Actor, event: EventInput): Promise<TimelineEvent> {
  const [row] = await tx
    .insert(timelineEvents)
    .values({
      incidentId: event.incidentId,
      kind: event.kind,
      actorId: actor.userId,
      actorName: actor.name,
      occurredAt: event.occurredAt ?? new Date(),
      body: event.body ?? "",
      payload: event.payload ?? {},
    })
    .returning();
  await notifyEvent(tx, row);
  return row;
}

/** Tells every stream about an event; the full event rides along when it fits in a NOTIFY. */
export async function notifyEvent(tx: Db, row: TimelineEvent): Promise<void> {
  const view = withNoteHtml(toEventView(row));
  const withEvent = { type: "timeline", id: String(row.seq), incidentId: row.incidentId, event: view };
  const fits = JSON.stringify(withEvent).length < 7000;
  await publish(tx, INCIDENT_CHANNEL, fits ? withEvent : { type: "timeline", id: String(row.seq), incidentId: row.incidentId });
}

export async function readIncident(tx: Db, incidentId: string): Promise<Incident> {
  const [row] = await tx.select().from(incidents).where(eq(incidents.id, incidentId)).limit(1);
  if (!row) throw new NotFoundError("That incident does not exist.");
  return row;
}

/**
 * The incident as a change made from `expectedVersion` finds it: someone else's change in
 * between is a conflict first, before the change is judged against a state its author never saw.
 */
export async function readIncidentAt(tx: Db, incidentId: string, expectedVersion: number): Promise<Incident> {
  const current = await readIncident(tx, incidentId);
  if (current.version !== expectedVersion) throw conflict(current);
  return current;
}

export function conflict(current: Incident): ConflictError {
  return new ConflictError(
    `Someone changed this incident meanwhile (it is now ${current.status}, ${current.severity}, version ${current.version}). Review the current state and try again.`,
    incidentView(current),
  );
}

/**
 * The optimistic write every incident change goes through: UPDATE … WHERE id AND version, and a
 * ConflictError carrying the current row when someone else got there first.
 */
export async function updateIncident(
  tx: Db,
  current: Incident,
  expectedVersion: number,
  set: Partial<typeof incidents.$inferInsert>,
): Promise<Incident> {
  if (current.version !== expectedVersion) throw conflict(current);
  const [updated] = await tx
    .update(incidents)
    .set({ ...set, version: expectedVersion + 1, updatedAt: new Date() })
    .where(and(eq(incidents.id, current.id), eq(incidents.version, expectedVersion)))
    .returning();
  if (!updated) throw conflict(await readIncident(tx, current.id));
  return updated;
}

/** The system actor has no user row; user-referencing columns stay empty for it. */
export function userRef(actor: Actor): string | null {
  return actor.userId === "system" ? null : actor.userId;
}
