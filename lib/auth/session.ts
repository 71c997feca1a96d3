import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { auth } from "@/auth";
import { getDb } from "@/db/client";
import type { Actor } from "@/lib/actor";
import { findUserById } from "./users";

/**
 * The signed-in person as the server sees them now: role and disabled state come from the
 * database on every request, so a role change or a disable takes effect at once.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await findUserById(await getDb(), userId);
  if (!user || user.disabledAt) return null;
  return { userId: user.id, email: user.email, name: user.name, role: user.role, requestId: await requestId() };
});

export const requestId = cache(async (): Promise<string> => {
  return (await headers()).get("x-request-id") ?? crypto.randomUUID();
});
