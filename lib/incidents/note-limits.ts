import "server-only";
import { and, count, eq, gt, min, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { timelineEvents } from "@/db/schema/incidents";
import type { Actor } from "@/lib/actor";
import { TooManyRequestsError } from "@/lib/errors";
export { NOTE_MAX_CHARS } from "./schemas";

// How fast notes may arrive: a person writing during an incident adds a few a minute; a script or a
// stuck client adding hundreds would bury the timeline everyone reads. Counted per author and per
// incident over the last minute, under a per-incident lock so concurrent notes are counted too.
export const NOTES_PER_AUTHOR_PER_MINUTE = 20;
export const NOTES_PER_INCIDENT_PER_MINUTE = 120;

/** Inside the note's transaction: throws TooManyRequestsError when this note would be over a limit. */
export async function checkNoteRate(tx: Db, incidentId: string, actor: Actor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`notes:${incidentId}`}))`);
  const since = new Date(Date.now() - 60_000);
  const recent = (by?: string) =>
    tx
      .select({ n: count(), oldest: min(timelineEvents.recordedAt) })
      .from(timelineEvents)
      .where(and(eq(timelineEvents.incidentId, incidentId), eq(timelineEvents.kind, "note"), gt(timelineEvents.recordedAt, since), by ? eq(timelineEvents.actorId, by) : undefined));
  const wait = (oldest: Date | null) => Math.max(1, Math.ceil(((oldest?.getTime() ?? Date.now()) + 60_000 - Date.now()) / 1000));
  const [mine] = await recent(actor.userId);
  if (mine.n >= NOTES_PER_AUTHOR_PER_MINUTE) {
    throw new TooManyRequestsError(`You added ${mine.n} notes to this incident in the last minute; wait ${wait(mine.oldest)} s before adding more.`, wait(mine.oldest));
  }
  const [all] = await recent();
  if (all.n >= NOTES_PER_INCIDENT_PER_MINUTE) {
    throw new TooManyRequestsError(`This incident got ${all.n} notes in the last minute; wait ${wait(all.oldest)} s before adding more.`, wait(all.oldest));
  }
}
