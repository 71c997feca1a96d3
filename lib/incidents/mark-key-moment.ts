import "server-only";
import { and, eq } from "drizzle-orm";
import { timelineEvents } from "@/db/schema/incidents";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { recordChange } from "./record";
import { markKeyMomentSchema } from "./schemas";
import { toEventView, type TimelineEventView } from "./views";

export const KEY_MOMENT_LABELS = { detected: "Detected", mitigated: "Mitigated", resolved: "Resolved", custom: "Key moment" } as const;

/** How a person recognises an event in a sentence: who wrote what, not its internal number. */
function describeEvent(event: { kind: string; body: string; actorName: string | null }): string {
  const firstLine = event.body.split("\n").find((line) => line.trim())?.trim() ?? "";
  const excerpt = firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
  const what = event.kind === "note" ? `the note by ${event.actorName ?? "someone"}` : "the entry";
  return excerpt ? `${what} “${excerpt}”` : what;
}

/** Marks (or unmarks, with moment null) a timeline event as a key moment for the review. */
export async function markKeyMoment(ctx: Ctx, input: unknown): Promise<TimelineEventView> {
  requirePermission(ctx.actor, "incidents.manage");
  const data = parseInput(markKeyMomentSchema, input);
  return ctx.db.transaction(async (tx) => {
    const [event] = await tx.select().from(timelineEvents).where(eq(timelineEvents.seq, data.seq)).limit(1);
    if (!event) throw new NotFoundError("That timeline event does not exist.");
    const now = new Date();
    const label = data.moment === "custom" ? data.label : data.moment ? KEY_MOMENT_LABELS[data.moment] : null;
    const [updated] = await tx
      .update(timelineEvents)
      .set({
        keyMoment: data.moment,
        keyMomentLabel: label,
        keyMomentBy: data.moment ? ctx.actor.name : null,
        keyMomentAt: data.moment ? now : null,
        version: data.version + 1,
      })
      .where(and(eq(timelineEvents.seq, data.seq), eq(timelineEvents.version, data.version)))
      .returning();
    if (!updated) {
      const [fresh] = await tx.select().from(timelineEvents).where(eq(timelineEvents.seq, data.seq)).limit(1);
      throw new ConflictError("Someone changed this event meanwhile.", toEventView(fresh));
    }
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.key_moment.mark",
        targetType: "timeline_event",
        targetId: String(data.seq),
        before: { keyMoment: event.keyMoment, label: event.keyMomentLabel },
        after: { keyMoment: updated.keyMoment, label: updated.keyMomentLabel },
      },
      {
        incidentId: event.incidentId,
        kind: "key_moment.marked",
        occurredAt: now,
        body: data.moment ? `Marked ${describeEvent(event)} as key moment “${label}”.` : `Removed the key-moment mark from ${describeEvent(event)}.`,
        payload: { targetSeq: data.seq, moment: data.moment, label },
      },
    );
    return toEventView(updated);
  });
}
