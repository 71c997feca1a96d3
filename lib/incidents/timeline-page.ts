import "server-only";
import { and, desc, eq, ilike, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import { timelineEvents } from "@/db/schema/incidents";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { withNoteHtml } from "./note-html";
import { noteRevisions, type NoteRevisionView } from "./queries";
import { timelinePageSchema } from "./schemas";
import { toEventView, type TimelineEventView } from "./views";

export type TimelinePage = {
  /** Newest first: by when it happened, then by when it was written. */
  events: TimelineEventView[];
  revisions: Record<number, NoteRevisionView[]>;
  /** Pass as `before` for the next (older) page; null when this was the last. */
  nextCursor: string | null;
};

/** The kind filter's value for "key moments only". */
export const KEY_MOMENTS_FILTER = "key";

export const cursorOf = (e: { occurredAt: string; seq: number }) => `${e.occurredAt}_${e.seq}`;

/**
 * One page of an incident's timeline, newest first, filtered by kind, person and text. Keyset
 * paging on (occurred_at, seq) uses the timeline index, so page 100 costs what page 1 does.
 */
export async function listTimelinePage(ctx: Ctx, incidentId: string, input: unknown = {}): Promise<TimelinePage> {
  requirePermission(ctx.actor, "incidents.read");
  if (!/^[0-9a-f-]{36}$/i.test(incidentId)) throw new NotFoundError("That incident does not exist.");
  const f = parseInput(timelinePageSchema, input);
  const where: SQL[] = [eq(timelineEvents.incidentId, incidentId)];
  if (f.kind === KEY_MOMENTS_FILTER) where.push(isNotNull(timelineEvents.keyMoment));
  else if (f.kind) where.push(eq(timelineEvents.kind, f.kind));
  if (f.actorId) where.push(eq(timelineEvents.actorId, f.actorId));
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(timelineEvents.body, pattern), ilike(timelineEvents.actorName, pattern))!);
  }
  if (f.before) {
    const cut = f.before.lastIndexOf("_");
    const at = new Date(f.before.slice(0, cut));
    const seq = Number(f.before.slice(cut + 1));
    where.push(or(lt(timelineEvents.occurredAt, at), and(eq(timelineEvents.occurredAt, at), lt(timelineEvents.seq, seq)))!);
  }
  const rows = await ctx.db
    .select()
    .from(timelineEvents)
    .where(and(...where))
    .orderBy(desc(timelineEvents.occurredAt), desc(timelineEvents.seq))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  const events = page.map((row) => withNoteHtml(toEventView(row)));
  return {
    events,
    revisions: await noteRevisions(ctx.db, page),
    nextCursor: rows.length > f.limit ? cursorOf(events.at(-1)!) : null,
  };
}

export type TimelineFacets = { kinds: string[]; people: { id: string; name: string }[]; events: number };

/** What the timeline filters offer: the kinds and people the incident's timeline has, and its length. */
export async function timelineFacets(ctx: Ctx, incidentId: string): Promise<TimelineFacets> {
  requirePermission(ctx.actor, "incidents.read");
  if (!/^[0-9a-f-]{36}$/i.test(incidentId)) throw new NotFoundError("That incident does not exist.");
  const [kinds, people] = await Promise.all([
    ctx.db
      .select({ kind: timelineEvents.kind, n: sql<number>`count(*)::int` })
      .from(timelineEvents)
      .where(eq(timelineEvents.incidentId, incidentId))
      .groupBy(timelineEvents.kind),
    ctx.db
      .selectDistinct({ id: timelineEvents.actorId, name: timelineEvents.actorName })
      .from(timelineEvents)
      .where(and(eq(timelineEvents.incidentId, incidentId), isNotNull(timelineEvents.actorId))),
  ]);
  return {
    kinds: kinds.map((k) => k.kind).sort(),
    people: people.map((p) => ({ id: p.id!, name: p.name ?? p.id! })).sort((a, b) => a.name.localeCompare(b.name)),
    events: kinds.reduce((sum, k) => sum + Number(k.n), 0),
  };
}
