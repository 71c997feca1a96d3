import "server-only";
import { eq, lt, sql } from "drizzle-orm";
import { type Db, getDb } from "@/db/client";
import { revokedSessions, users } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { publish, RESYNC, subscribe, type LiveMessage } from "@/lib/live";

// Sessions are signed cookies. Each carries an id and the user's session version from when it was
// issued, and both are checked on every request: signing out revokes that one session id;
// disabling a user, lowering their role or resetting their password bumps the version, which ends
// all of that user's sessions. Either way a notification on SESSIONS_CHANNEL closes the affected
// open live streams at once.

export const SESSIONS_CHANNEL = "user_sessions";

export type SessionEndReason = "sign_out" | "disabled" | "role_lowered" | "password_reset";
export type SessionClaims = { userId: string; sessionId: string; sessionVersion: number };

/** Inside the caller's transaction: ends every session of the user (streams close after commit). */
export async function revokeSessions(tx: Db, userId: string, reason: Exclude<SessionEndReason, "sign_out">): Promise<void> {
  await tx.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId));
  await publish(tx, SESSIONS_CHANNEL, { type: "sessions.revoked", userId, reason });
}

/** Sign-out: this session ends now, for good, wherever its cookie was copied to. Audited once. */
export async function signOutSession(db: Db, actor: Actor, session: { sessionId: string; expiresAt: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    // Revocations are kept only until the cookie would have expired anyway.
    await tx.delete(revokedSessions).where(lt(revokedSessions.expiresAt, new Date()));
    const [row] = await tx
      .insert(revokedSessions)
      .values({ sessionId: session.sessionId, userId: actor.userId, expiresAt: session.expiresAt })
      .onConflictDoNothing()
      .returning({ sessionId: revokedSessions.sessionId });
    if (!row) return;
    await writeAudit(tx, { actor, action: "auth.sign_out", targetType: "user", targetId: actor.userId });
    await publish(tx, SESSIONS_CHANNEL, { type: "sessions.revoked", userId: actor.userId, sessionId: session.sessionId, reason: "sign_out" });
  });
}

/** Whether a session with these claims is still good: user active, version current, not signed out. */
export async function sessionIsCurrent(db: Db, claims: Partial<SessionClaims>): Promise<boolean> {
  if (!claims.userId || !claims.sessionId || typeof claims.sessionVersion !== "number") return false;
  const [row] = await db
    .select({
      sessionVersion: users.sessionVersion,
      disabledAt: users.disabledAt,
      revoked: sql<boolean>`exists (select 1 from ${revokedSessions} where ${revokedSessions.sessionId} = ${claims.sessionId})`,
    })
    .from(users)
    .where(eq(users.id, claims.userId))
    .limit(1);
  return !!row && !row.disabledAt && !row.revoked && row.sessionVersion === claims.sessionVersion;
}

/**
 * An AbortSignal that fires when the request ends or when this session is revoked, for live
 * streams: a disabled or signed-out user's open stream closes within moments. After the listener
 * was away (a resync) a revocation notice may have been missed, so the session is judged again
 * against the database.
 */
export async function untilSessionEnds(
  actor: Pick<Actor, "userId" | "sessionId" | "sessionVersion">,
  requestSignal?: AbortSignal,
  listen = subscribe,
  db?: Db,
): Promise<AbortSignal> {
  const controller = new AbortController();
  const recheck = async () => {
    if (!actor.sessionId || typeof actor.sessionVersion !== "number") return;
    try {
      const current = await sessionIsCurrent(db ?? (await getDb()), { userId: actor.userId, sessionId: actor.sessionId, sessionVersion: actor.sessionVersion });
      if (!current) controller.abort();
    } catch {
      // Database away: the stream's own reads fail and close it; the next resync judges again.
    }
  };
  const unsubscribe = await listen(SESSIONS_CHANNEL, (message: LiveMessage) => {
    if (message.type === RESYNC) return void recheck();
    if (message.type !== "sessions.revoked" || message.userId !== actor.userId) return;
    if (message.sessionId && message.sessionId !== actor.sessionId) return;
    controller.abort();
  });
  controller.signal.addEventListener("abort", unsubscribe, { once: true });
  if (requestSignal?.aborted) controller.abort();
  else requestSignal?.addEventListener("abort", () => controller.abort(), { once: true });
  return controller.signal;
}
