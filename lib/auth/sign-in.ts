import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInThrottles, users, type User } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { findUserByEmail } from "./users";
import { verifyPassword } from "./password";

// Throttling per (email, client address): an attempt is counted in one statement *before* the
// password is checked, so parallel guesses are counted too. After FREE_FAILURES failures each
// further attempt must wait twice as long as the previous one (BASE_DELAY_S up to MAX_DELAY_S);
// attempts refused while waiting do not extend the wait. A success or a quiet WINDOW resets the
// count. Nobody can lock an account: a wait only slows down the address the failures came from,
// and an admin can clear it (unlockSignIns) or reset the password.
export const FREE_FAILURES = 5;
const BASE_DELAY_S = 30;
const MAX_DELAY_S = 15 * 60;
const WINDOW_S = 15 * 60;

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" | "throttled"; retryAfterSeconds?: number };

export type SignInRequest = { requestId: string; client: string };

type Attempt = { allowed: boolean; failures: number; blockedUntil: Date | null };

/** Counts one attempt and says whether it may be checked; one statement, so concurrent attempts serialize on the row. */
async function countAttempt(db: Db, email: string, client: string): Promise<Attempt> {
  const t = signInThrottles;
  const waiting = sql`(${t.blockedUntil} is not null and ${t.blockedUntil} > now())`;
  const failures = sql`(case when ${waiting} then ${t.failures} when ${t.lastFailureAt} < now() - make_interval(secs => ${WINDOW_S}) then 1 else ${t.failures} + 1 end)`;
  const delayed = (count: ReturnType<typeof sql>) =>
    sql`(case when ${count} > ${FREE_FAILURES} then now() + make_interval(secs => least(${MAX_DELAY_S}, ${BASE_DELAY_S} * power(2, ${count} - ${FREE_FAILURES} - 1))) else null end)`;
  const result = await db.execute(sql`
    insert into ${t} (email, client, failures, last_failure_at, blocked_until, last_allowed)
    values (${email}, ${client}, 1, now(), null, true)
    on conflict (email, client) do update set
      last_allowed = not ${waiting},
      failures = ${failures},
      last_failure_at = case when ${waiting} then ${t.lastFailureAt} else now() end,
      blocked_until = case when ${waiting} then ${t.blockedUntil} else ${delayed(failures)} end
    returning last_allowed as "allowed", failures, blocked_until as "blockedUntil"`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { allowed: boolean; failures: number; blockedUntil: string | Date | null }[];
  const row = rows[0];
  return { allowed: row.allowed, failures: Number(row.failures), blockedUntil: row.blockedUntil ? new Date(row.blockedUntil) : null };
}

function secondsUntil(when: Date | null): number | undefined {
  return when ? Math.max(1, Math.ceil((when.getTime() - Date.now()) / 1000)) : undefined;
}

export async function authenticate(db: Db, rawEmail: string, password: string, request: SignInRequest): Promise<SignInResult> {
  const email = rawEmail.trim().toLowerCase();
  const client = request.client.slice(0, 100) || "unknown";
  const { requestId } = request;
  const attempt = await countAttempt(db, email, client);
  if (!attempt.allowed) {
    const retryAfterSeconds = secondsUntil(attempt.blockedUntil);
    await db.transaction((tx) =>
      writeAudit(tx, { actor: null, claimedEmail: email, action: "auth.sign_in.throttled", targetType: "user", targetId: null, after: { retryAfterSeconds, client }, requestId }),
    );
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }

  const user = await findUserByEmail(db, email);
  // Always runs a hash comparison, so unknown and disabled accounts take as long as known ones.
  const passwordOk = await verifyPassword(password, user?.passwordHash);
  const ok = !!user && passwordOk && !user.disabledAt;

  return db.transaction(async (tx) => {
    if (ok) {
      await tx.delete(signInThrottles).where(and(eq(signInThrottles.email, email), eq(signInThrottles.client, client)));
      await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
      const actor = { userId: user.id, email: user.email, name: user.name, role: user.role, requestId };
      await writeAudit(tx, { actor, action: "auth.sign_in.success", targetType: "user", targetId: user.id, after: { client } });
      return { ok: true, user } as const;
    }
    const retryAfterSeconds = secondsUntil(attempt.blockedUntil);
    await writeAudit(tx, {
      actor: null,
      claimedEmail: email,
      action: "auth.sign_in.failure",
      targetType: "user",
      targetId: user?.id ?? null,
      after: { failures: attempt.failures, client, retryAfterSeconds: retryAfterSeconds ?? null, reason: user?.disabledAt && passwordOk ? "disabled" : "invalid_credentials" },
      requestId,
    });
    return { ok: false, reason: "invalid", retryAfterSeconds } as const;
  });
}

/** "30 seconds", "2 minutes": how long a person has to wait, in words. */
export function waitInWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
