"use server";

import { signOut } from "@/auth";
import { SESSION_MAX_AGE_S } from "@/auth.config";
import { getDb } from "@/db/client";
import { getActor } from "@/lib/auth/session";
import { signOutSession } from "@/lib/auth/sessions";

// Signing out ends this session on the server too: a copy of the cookie is refused from now on.
export async function signOutAction() {
  const actor = await getActor();
  if (actor?.sessionId) {
    await signOutSession(await getDb(), actor, { sessionId: actor.sessionId, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000) });
  }
  await signOut({ redirectTo: "/sign-in" });
}
