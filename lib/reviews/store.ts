import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { incidents, type Incident } from "@/db/schema/incidents";
import { reviews, type Review } from "@/db/schema/reviews";
import type { Actor } from "@/lib/actor";
import { writeAudit, type AuditInput } from "@/lib/audit";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { recordChange } from "@/lib/incidents/record";

export const userRef = (actor: Actor) => (actor.userId === "system" ? null : actor.userId);

export async function readIncidentById(db: Db, incidentId: string): Promise<Incident> {
  const [row] = await db.select().from(incidents).where(eq(incidents.id, incidentId)).limit(1);
  if (!row) throw new NotFoundError("That incident does not exist.");
  return row;
}

/** "INC-42", "42" or the incident's uuid. */
export async function readIncidentByRef(db: Db, ref: string): Promise<Incident> {
  const number = /^(?:inc-?)?(\d{1,9})$/i.exec(ref.trim())?.[1];
  if (number) {
    const [row] = await db.select().from(incidents).where(eq(incidents.number, Number(number))).limit(1);
    if (row) return row;
    throw new NotFoundError("That incident does not exist.");
  }
  if (/^[0-9a-f-]{36}$/i.test(ref)) return readIncidentById(db, ref);
  throw new NotFoundError("That incident does not exist.");
}

export async function findReview(db: Db, incidentId: string): Promise<Review | null> {
  const [row] = await db.select().from(reviews).where(eq(reviews.incidentId, incidentId)).limit(1);
  return row ?? null;
}

/**
 * The incident's review, created (and audited) by the first change anyone makes to it. Reading a
 * review never writes: an incident without one shows an empty draft.
 */
export async function ensureReview(tx: Db, actor: Actor, incident: Incident): Promise<Review> {
  const existing = await findReview(tx, incident.id);
  if (existing) return existing;
  const [created] = await tx
    .insert(reviews)
    .values({ incidentId: incident.id, createdBy: userRef(actor), updatedBy: userRef(actor) })
    .onConflictDoNothing()
    .returning();
  if (!created) return (await findReview(tx, incident.id))!;
  await writeAudit(tx, { actor, action: "review.create", targetType: "review", targetId: created.id, after: { incidentId: incident.id } });
  return created;
}

/** Published reviews are the record; only follow-up states move on after publishing. */
export function assertEditable(review: Review) {
  if (review.status === "published") throw new ConflictError("This review is published and can no longer be changed.");
}

/**
 * Every change to a review's content bumps its version, so approvals given to an older version
 * visibly stop counting. With `expected`, the update loses races with a ConflictError.
 */
export async function bumpReview(tx: Db, actor: Actor, review: Review, set: Partial<typeof reviews.$inferInsert> = {}, expected?: number): Promise<Review> {
  const [updated] = await tx
    .update(reviews)
    .set({ ...set, version: sql`${reviews.version} + 1`, updatedAt: new Date(), updatedBy: userRef(actor) })
    .where(expected === undefined ? eq(reviews.id, review.id) : and(eq(reviews.id, review.id), eq(reviews.version, expected)))
    .returning();
  if (!updated) throw new ConflictError("Someone changed this review meanwhile. Reload it and try again.", await findReview(tx, review.incidentId));
  return updated;
}

/**
 * Audit entry for every review change; changes that matter to the incident's story (moments,
 * corrected times, added events, publishing) also go on the incident's timeline as "review.*"
 * events, which the merged timeline leaves out again.
 */
export async function recordReviewChange(
  tx: Db,
  actor: Actor,
  audit: Omit<AuditInput, "actor">,
  timeline?: { incidentId: string; kind: `review.${string}`; body: string; payload?: Record<string, unknown> },
) {
  if (timeline) await recordChange(tx, actor, audit, { ...timeline, occurredAt: new Date() });
  else await writeAudit(tx, { ...audit, actor });
}
