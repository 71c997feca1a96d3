import "server-only";
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import type { Actor } from "@/lib/actor";
import { notificationReads, notifications, runbooks, users, type Notification } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { can, requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { publish } from "@/lib/live";
import { parseInput } from "@/lib/validation";

// In-console notifications: what the console has to tell a person who is not looking (a scheduled
// drill that failed). Addressed to a user, or — when the addressee has no account, as with a
// runbook owner written as a team name — to everyone who may sign drills off.

export const NOTIFICATIONS_CHANNEL = "notifications";

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** The account a runbook's Owner line names (by e-mail inside it, or by exact name), if any. */
export async function ownerAccount(tx: Db, owner: string | null): Promise<string | null> {
  const text = (owner ?? "").trim();
  if (!text) return null;
  const emails = [...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase());
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(isNull(users.disabledAt), or(emails.length ? inArray(sql`lower(${users.email})`, emails) : sql`false`, sql`lower(${users.name}) = ${text.toLowerCase()}`)))
    .limit(1);
  return row?.id ?? null;
}

/** Notifies a runbook's owner, in the caller's transaction. */
export async function notifyRunbookOwner(tx: Db, input: { runbookId: string; kind: string; title: string; body: string; link: string; data: Record<string, unknown> }): Promise<Notification> {
  const [runbook] = await tx.select({ owner: runbooks.owner }).from(runbooks).where(eq(runbooks.id, input.runbookId));
  const recipientId = await ownerAccount(tx, runbook?.owner ?? null);
  const [row] = await tx
    .insert(notifications)
    .values({ kind: input.kind, recipientId, addressedTo: runbook?.owner ?? "", title: input.title, body: input.body, link: input.link, data: input.data })
    .returning();
  await publish(tx, NOTIFICATIONS_CHANNEL, { type: "notification", id: row.id });
  return row;
}

function visibleTo(ctx: Ctx) {
  // Group notifications (owner without an account) go to those who act on drills.
  return can(ctx.actor.role, "drills.signoff") ? or(eq(notifications.recipientId, ctx.actor.userId), isNull(notifications.recipientId)) : eq(notifications.recipientId, ctx.actor.userId);
}

export type NotificationView = Notification & { read: boolean };

export async function listNotifications(ctx: Ctx, options: { limit?: number } = {}): Promise<NotificationView[]> {
  requirePermission(ctx.actor, "notifications.read");
  const rows = await ctx.db
    .select({ n: notifications, readAt: notificationReads.readAt })
    .from(notifications)
    .leftJoin(notificationReads, and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, ctx.actor.userId)))
    .where(visibleTo(ctx))
    .orderBy(desc(notifications.createdAt))
    .limit(options.limit ?? 100);
  return rows.map((r) => ({ ...r.n, read: r.readAt !== null }));
}

export async function unreadCount(ctx: Ctx): Promise<number> {
  requirePermission(ctx.actor, "notifications.read");
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .leftJoin(notificationReads, and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, ctx.actor.userId)))
    .where(and(visibleTo(ctx), isNull(notificationReads.readAt)));
  return row.n;
}

/** For the layout's bell, which has the actor but no context: the process database. */
export async function unreadCountOf(actor: Actor): Promise<number> {
  return unreadCount({ actor, db: await getDb() });
}

const markReadSchema = z.object({ ids: z.array(z.string().uuid()).max(500).default([]), all: z.boolean().default(false) });

/** Marks the given notifications (or all visible ones) read for this person. */
export async function markNotificationsRead(ctx: Ctx, input: unknown): Promise<number> {
  requirePermission(ctx.actor, "notifications.read");
  const data = parseInput(markReadSchema, input);
  return ctx.db.transaction(async (tx) => {
    const visible = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(visibleTo(ctx), data.all ? sql`true` : data.ids.length ? inArray(notifications.id, data.ids) : sql`false`));
    if (!visible.length) return 0;
    const rows = await tx
      .insert(notificationReads)
      .values(visible.map((v) => ({ notificationId: v.id, userId: ctx.actor.userId })))
      .onConflictDoNothing()
      .returning({ id: notificationReads.notificationId });
    await writeAudit(tx, { actor: ctx.actor, action: "notifications.read", targetType: "user", targetId: ctx.actor.userId, after: { count: rows.length } });
    return rows.length;
  });
}
