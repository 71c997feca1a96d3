import "server-only";
import { timelineNoteRevisions } from "@/db/schema/incidents";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { onceByKey } from "@/lib/idempotency";
import { readIncident, recordChange } from "./record";
import { addNoteSchema } from "./schemas";
import { checkNoteRate } from "./note-limits";
import { toEventView, type TimelineEventView } from "./views";

/** A markdown note on the timeline; occurredAt lets people log what happened earlier. */
export async function addNote(ctx: Ctx, input: unknown): Promise<TimelineEventView> {
  requirePermission(ctx.actor, "incidents.note");
  const data = parseInput(addNoteSchema, input);
  const now = new Date();
  if (data.occurredAt && data.occurredAt.getTime() > now.getTime() + 60_000) {
    throw new ValidationError("A note cannot describe the future.", { occurredAt: ["Choose a time that has passed."] });
  }
  return onceByKey(ctx.db, ctx.actor, "incident.note.add", data.idempotencyKey, { ...data, idempotencyKey: undefined }, async (tx) => {
    const incident = await readIncident(tx, data.incidentId);
    await checkNoteRate(tx, incident.id, ctx.actor);
    const event = await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.note.add",
        targetType: "incident",
        targetId: incident.id,
        after: { body: data.body, occurredAt: data.occurredAt?.toISOString() },
      },
      { incidentId: incident.id, kind: "note", body: data.body, occurredAt: data.occurredAt ?? now, payload: {} },
    );
    // Revision 1 is the original text, kept however often the note is edited later.
    await tx.insert(timelineNoteRevisions).values({
      eventSeq: event.seq,
      revision: 1,
      body: data.body,
      writtenAt: event.recordedAt,
      writtenBy: ctx.actor.userId,
      writtenByName: ctx.actor.name,
    });
    return toEventView(event);
  });
}
