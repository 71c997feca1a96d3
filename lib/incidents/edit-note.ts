import "server-only";
import { and, eq, max } from "drizzle-orm";
import { timelineEvents, timelineNoteRevisions } from "@/db/schema/incidents";
import { can, requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { recordChange } from "./record";
import { editNoteSchema } from "./schemas";
import { toEventView, type TimelineEventView } from "./views";

/**
 * Changes a note's text, appending a revision: the original and every earlier text stay
 * readable. People edit their own notes; commanders and admins may correct anyone's.
 */
export async function editNote(ctx: Ctx, input: unknown): Promise<TimelineEventView> {
  requirePermission(ctx.actor, "incidents.note");
  const data = parseInput(editNoteSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [note] = await tx.select().from(timelineEvents).where(eq(timelineEvents.seq, data.seq)).limit(1);
    if (!note || note.kind !== "note") throw new NotFoundError("That note does not exist.");
    if (note.actorId !== ctx.actor.userId && !can(ctx.actor.role, "incidents.manage")) {
      throw new ForbiddenError("Only the author, a commander or an admin may edit this note.", "incidents.manage");
    }
    if (note.body === data.body) throw new ValidationError("The text is unchanged.", { body: ["Change the text first."] });
    const now = new Date();
    const [updated] = await tx
      .update(timelineEvents)
      .set({ body: data.body, editedAt: now, editedBy: ctx.actor.name, version: data.version + 1 })
      .where(and(eq(timelineEvents.seq, data.seq), eq(timelineEvents.version, data.version)))
      .returning();
    if (!updated) {
      const [fresh] = await tx.select().from(timelineEvents).where(eq(timelineEvents.seq, data.seq)).limit(1);
      throw new ConflictError("Someone edited this note meanwhile. Here is the current text.", toEventView(fresh));
    }
    const [{ last }] = await tx
      .select({ last: max(timelineNoteRevisions.revision) })
      .from(timelineNoteRevisions)
      .where(eq(timelineNoteRevisions.eventSeq, data.seq));
    const revision = (last ?? 0) + 1;
    await tx.insert(timelineNoteRevisions).values({
      eventSeq: data.seq,
      revision,
      body: data.body,
      writtenAt: now,
      writtenBy: ctx.actor.userId,
      writtenByName: ctx.actor.name,
    });
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.note.edit",
        targetType: "timeline_event",
        targetId: String(data.seq),
        before: { body: note.body, version: note.version },
        after: { body: updated.body, version: updated.version, revision },
      },
      {
        incidentId: note.incidentId,
        kind: "note.edited",
        occurredAt: now,
        body: `Edited a note (revision ${revision}).`,
        payload: { targetSeq: data.seq, revision },
      },
    );
    return toEventView(updated);
  });
}
