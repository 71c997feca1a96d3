import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { auth } from "@/auth";
import { getDb } from "@/db/client";
import type { Actor } from "@/lib/actor";
import { findUserById } from "./users";

export type SessionInfo = { userId: string; sessionId: string; sessionVersion: number };

/** What the session cookie claims, as Auth.js hands it over (see the callbacks in auth.ts). */
export const getSessionInfo = cache(async (): Promise<SessionInfo | null> => {
  const session = (await auth()) as { user?: { id?: string }; sitrep?: { sessionId?: unknown; sessionVersion?: unknown } } | null;
  const userId = session?.user?.id;
  const { sessionId, sessionVersion } = session?.sitrep ?? {};
  if (!userId || typeof sessionId !== "string" || typeof sessionVersion !== "number") return null;
  return { userId, sessionId, sessionVersion };
});

/**
 * The signed-in person as the server sees them now: role, disabled state and session version come
 * from the database on every request, so a role change, a disable or a revoked session takes
 * effect at once. (Signed-out session ids are refused earlier, in auth.ts's jwt callback.)
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const info = await getSessionInfo();
  if (!info) return null;
  const user = await findUserById(await getDb(), info.userId);
  if (!user || user.disabledAt || user.sessionVersion !== info.sessionVersion) return null;
  return { userId: user.id, email: user.email, name: user.name, role: user.role, requestId: await requestId(), sessionId: info.sessionId, sessionVersion: info.sessionVersion };
});

export const requestId = cache(async (): Promise<string> => {
  return (await headers()).get("x-request-id") ?? crypto.randomUUID();
});
