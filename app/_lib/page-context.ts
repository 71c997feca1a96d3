import "server-only";
import { forbidden, redirect } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/db/client";
import type { Ctx } from "@/lib/context";
import { can, type Permission } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";
import { recordDenied } from "@/lib/auth/denied";

/**
 * For pages: the context if the role may see the page; otherwise the refusal is audited and the
 * page answers 403 with app/(console)/forbidden.tsx. (The return type keeps `| null` so pages
 * written against the earlier contract still compile.)
 */
export async function pageContext(permission: Permission, where: string): Promise<Ctx | null> {
  await connection();
  const actor = await getActor();
  if (!actor) redirect("/sign-in");
  const db = await getDb();
  if (!can(actor.role, permission)) {
    await recordDenied(db, actor, permission, where);
    forbidden();
  }
  return { actor, db };
}
