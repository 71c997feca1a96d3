"use server";

import { signOut } from "@/auth";
import { getDb } from "@/db/client";
import { writeAudit } from "@/lib/audit";
import { getActor } from "@/lib/auth/session";

export async function signOutAction() {
  const actor = await getActor();
  if (actor) {
    const db = await getDb();
    await db.transaction((tx) => writeAudit(tx, { actor, action: "auth.sign_out", targetType: "user", targetId: actor.userId }));
  }
  await signOut({ redirectTo: "/sign-in" });
}
