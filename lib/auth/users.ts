import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { roles, users, type User } from "@/db/schema";
import type { Db } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import type { Ctx } from "@/lib/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { hashPassword } from "./password";
import { requirePermission } from "./permissions";
import { revokeSessions } from "./sessions";
import { changeRoleSchema, createUserSchema, setDisabledSchema } from "./schemas";

export type PublicUser = Omit<User, "passwordHash">;

export function toPublicUser({ passwordHash: _omit, ...user }: User): PublicUser {
  return user;
}

/** The audit record of a user: never the password hash. */
function auditView(user: User) {
  const { passwordHash: _omit, createdAt: _c, updatedAt: _u, lastSignInAt: _l, sessionVersion: _s, ...rest } = user;
  return rest;
}

export async function listUsers(ctx: Ctx): Promise<PublicUser[]> {
  requirePermission(ctx.actor, "users.manage");
  const rows = await ctx.db.select().from(users).orderBy(asc(users.email));
  return rows.map(toPublicUser);
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row;
}

export async function createUser(ctx: Ctx, input: unknown): Promise<PublicUser> {
  requirePermission(ctx.actor, "users.manage");
  const data = parseInput(createUserSchema, input);
  const passwordHash = await hashPassword(data.password);
  return ctx.db.transaction(async (tx) => {
    if (await findUserByEmail(tx, data.email)) {
      throw new ValidationError("A user with this email already exists.", { email: ["A user with this email already exists."] });
    }
    const [user] = await tx
      .insert(users)
      .values({ email: data.email, name: data.name, role: data.role, passwordHash, createdBy: realUserId(ctx) })
      .returning();
    await writeAudit(tx, { actor: ctx.actor, action: "user.create", targetType: "user", targetId: user.id, after: auditView(user) });
    return toPublicUser(user);
  });
}

export async function changeUserRole(ctx: Ctx, input: unknown): Promise<PublicUser> {
  requirePermission(ctx.actor, "users.manage");
  const data = parseInput(changeRoleSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await findUserById(tx, data.userId);
    if (!current) throw new NotFoundError("That user does not exist.");
    if (current.role === "admin" && data.role !== "admin") await ensureAnotherActiveAdmin(tx, current.id);
    const [updated] = await tx
      .update(users)
      .set({ role: data.role, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(users.id, data.userId), eq(users.version, data.version)))
      .returning();
    if (!updated) throw new ConflictError("Someone changed this user meanwhile; reload and try again.", toPublicUser(current));
    // Roles are listed most powerful first: a lower role ends the sessions issued under the higher one.
    const lowered = roles.indexOf(updated.role) > roles.indexOf(current.role);
    if (lowered) await revokeSessions(tx, updated.id, "role_lowered");
    await writeAudit(tx, {
      actor: ctx.actor,
      action: "user.role.change",
      targetType: "user",
      targetId: updated.id,
      before: { role: current.role },
      after: { role: updated.role, sessionsEnded: lowered },
    });
    return toPublicUser(updated);
  });
}

export async function setUserDisabled(ctx: Ctx, input: unknown): Promise<PublicUser> {
  requirePermission(ctx.actor, "users.manage");
  const data = parseInput(setDisabledSchema, input);
  if (data.disabled && data.userId === ctx.actor.userId) {
    throw new ValidationError("You cannot disable your own account.");
  }
  return ctx.db.transaction(async (tx) => {
    const current = await findUserById(tx, data.userId);
    if (!current) throw new NotFoundError("That user does not exist.");
    if (data.disabled && current.role === "admin") await ensureAnotherActiveAdmin(tx, current.id);
    const [updated] = await tx
      .update(users)
      .set({
        disabledAt: data.disabled ? new Date() : null,
        disabledBy: data.disabled ? realUserId(ctx) : null,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(and(eq(users.id, data.userId), eq(users.version, data.version)))
      .returning();
    if (!updated) throw new ConflictError("Someone changed this user meanwhile; reload and try again.", toPublicUser(current));
    if (data.disabled) await revokeSessions(tx, updated.id, "disabled");
    await writeAudit(tx, {
      actor: ctx.actor,
      action: data.disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: updated.id,
      before: { disabled: !!current.disabledAt },
      after: { disabled: !!updated.disabledAt },
    });
    return toPublicUser(updated);
  });
}

async function ensureAnotherActiveAdmin(tx: Db, exceptId: string) {
  const admins = await tx.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.role, "admin"));
  if (!admins.some((a) => a.id !== exceptId && !a.disabledAt)) {
    throw new ValidationError("Sitrep needs at least one active admin.");
  }
}

/** The system actor has no user row; foreign-key-like columns stay empty for it. */
function realUserId(ctx: Ctx): string | null {
  return ctx.actor.userId === "system" ? null : ctx.actor.userId;
}
