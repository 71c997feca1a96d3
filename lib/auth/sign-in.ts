import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInThrottles, users, type User } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { findUserByEmail } from "./users";
import { verifyPassword } from "./password";

// After FREE_FAILURES wrong passwords for one email, each further attempt must wait twice as long
// as the previous one (up to MAX_DELAY). Counting restarts after a quiet WINDOW or a success.
const FREE_FAILURES = 5;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;
const WINDOW_MS = 15 * 60_000;

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

export async function authenticate(db: Db, rawEmail: string, password: string, requestId: string): Promise<SignInResult> {
  const email = rawEmail.trim().toLowerCase();
  const now = new Date();
  const [throttle] = await db.select().from(signInThrottles).where(eq(signInThrottles.email, email));
  if (throttle?.blockedUntil && throttle.blockedUntil > now) {
    const retryAfterSeconds = Math.ceil((throttle.blockedUntil.getTime() - now.getTime()) / 1000);
    await db.transaction((tx) =>
      writeAudit(tx, { actor: null, claimedEmail: email, action: "auth.sign_in.throttled", targetType: "user", targetId: null, after: { retryAfterSeconds }, requestId }),
    );
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }

  const user = await findUserByEmail(db, email);
  // Always runs a hash comparison, so unknown and disabled accounts take as long as known ones.
  const passwordOk = await verifyPassword(password, user?.passwordHash);
  const ok = !!user && passwordOk && !user.disabledAt;

  return db.transaction(async (tx) => {
    if (ok) {
      await tx.delete(signInThrottles).where(eq(signInThrottles.email, email));
      await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
      const actor = { userId: user.id, email: user.email, name: user.name, role: user.role, requestId };
      await writeAudit(tx, { actor, action: "auth.sign_in.success", targetType: "user", targetId: user.id });
      return { ok: true, user } as const;
    }
    const recent = throttle?.lastFailureAt && now.getTime() - throttle.lastFailureAt.getTime() < WINDOW_MS;
    const failures = (recent ? throttle!.failures : 0) + 1;
    const over = failures - FREE_FAILURES;
    const blockedUntil = over > 0 ? new Date(now.getTime() + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (over - 1))) : null;
    await tx
      .insert(signInThrottles)
      .values({ email, failures, lastFailureAt: now, blockedUntil })
      .onConflictDoUpdate({ target: signInThrottles.email, set: { failures, lastFailureAt: now, blockedUntil } });
    await writeAudit(tx, {
      actor: null,
      claimedEmail: email,
      action: "auth.sign_in.failure",
      targetType: "user",
      targetId: user?.id ?? null,
      after: { failures, reason: user?.disabledAt && passwordOk ? "disabled" : "invalid_credentials" },
      requestId,
    });
    return { ok: false, reason: "invalid" } as const;
  });
}
