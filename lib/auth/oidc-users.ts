import "server-only";
import { users } from "@/db/schema";
import type { Db } from "@/db/client";
import { systemActor } from "@/lib/actor";
import { writeAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { ForbiddenError } from "@/lib/errors";
import { roleSchema } from "./schemas";
import { roleFromClaims } from "./oidc";
import { findUserByEmail } from "./users";

/** First OIDC sign-in creates the account with the mapped role; later ones keep the admin's choice. */
export async function upsertOidcUser(db: Db, claims: Record<string, unknown>) {
  const email = String(claims.email ?? "").trim().toLowerCase();
  if (!email) throw new ForbiddenError("The identity provider did not share an email address.");
  const existing = await findUserByEmail(db, email);
  if (existing) {
    if (existing.disabledAt) throw new ForbiddenError("This account is disabled.");
    return existing;
  }
  const fallback = roleSchema.catch("viewer").parse(env.SITREP_OIDC_DEFAULT_ROLE ?? "viewer");
  const role = roleFromClaims(claims, env.SITREP_OIDC_ROLE_CLAIM, env.SITREP_OIDC_ROLE_MAP, fallback);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email, name: String(claims.name ?? email), role, authProvider: "oidc" })
      .returning();
    await writeAudit(tx, { actor: systemActor(), action: "user.create.oidc", targetType: "user", targetId: user.id, after: { email, role } });
    return user;
  });
}
