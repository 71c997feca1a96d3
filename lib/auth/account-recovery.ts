import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { signInThrottles, users } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { hashPassword } from "./password";
import { requirePermission } from "./permissions";
import { resetPasswordSchema, unlockSignInsSchema } from "./schemas";
import { revokeSessions } from "./sessions";

// What an admin does for someone who cannot get in: clear the sign-in waits on their account
// (from every address) and set a new password, which also ends every session they had. Audited.

export type SignInWait = { email: string; failures: number; blockedUntil: Date; clients: number };

/** Accounts with a wait in force now, for the users page. */
export async function listSignInWaits(ctx: Ctx): Promise<SignInWait[]> {
  requirePermission(ctx.actor, "users.manage");
  return ctx.db
    .select({
      email: signInThrottles.email,
      failures: sql<number>`cast(max(${signInThrottles.failures}) as integer)`,
      blockedUntil: sql<Date>`max(${signInThrottles.blockedUntil})`.mapWith((v: string | Date) => new Date(v)),
      clients: sql<number>`cast(count(*) as integer)`,
    })
    .from(signInThrottles)
    .where(gt(signInThrottles.blockedUntil, new Date()))
    .groupBy(signInThrottles.email);
}

export async function unlockSignIns(ctx: Ctx, input: unknown): Promise<{ email: string; cleared: number }> {
  requirePermission(ctx.actor, "users.manage");
  const { email } = parseInput(unlockSignInsSchema, input);
  return ctx.db.transaction(async (tx) => {
    const cleared = await tx.delete(signInThrottles).where(eq(signInThrottles.email, email)).returning({ client: signInThrottles.client });
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    await writeAudit(tx, { actor: ctx.actor, action: "user.sign_in.unlock", targetType: "user", targetId: user?.id ?? null, after: { email, cleared: cleared.length } });
    return { email, cleared: cleared.length };
  });
}

/** Sets a new password, ends every session of the user and clears their sign-in waits. */
export async function resetPassword(ctx: Ctx, input: unknown): Promise<{ userId: string; email: string }> {
  requirePermission(ctx.actor, "users.manage");
  const data = parseInput(resetPasswordSchema, input);
  const passwordHash = await hashPassword(data.password);
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: new Date(), version: sql`${users.version} + 1` })
      .where(and(data.userId ? eq(users.id, data.userId) : eq(users.email, data.email!)))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new NotFoundError("That user does not exist.");
    await revokeSessions(tx, user.id, "password_reset");
    await tx.delete(signInThrottles).where(eq(signInThrottles.email, user.email));
    await writeAudit(tx, { actor: ctx.actor, action: "user.password.reset", targetType: "user", targetId: user.id, after: { email: user.email, sessionsEnded: true } });
    return { userId: user.id, email: user.email };
  });
}
