import "server-only";
import type { Db } from "@/db/client";
import { findUserById } from "@/lib/auth/users";
import { ValidationError } from "@/lib/errors";

export const ROLE_LABELS = { commander: "Commander", scribe: "Scribe", comms: "Comms lead", responder: "Responder" } as const;

/** An active account that can hold an incident role (anyone who can read incidents). */
export async function activeUser(tx: Db, userId: string, field: string) {
  const user = await findUserById(tx, userId);
  if (!user || user.disabledAt) throw new ValidationError("Choose an active user.", { [field]: ["Choose an active user."] });
  return user;
}
