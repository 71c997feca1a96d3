import type { Role } from "@/db/schema";

/** Who is doing something, as every lib/ write receives it. */
export type Actor = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  requestId: string;
  /** The session this request came with (absent for the system and the CLI). */
  sessionId?: string;
  /** The user's session version that session was issued with (see lib/auth/sessions.ts). */
  sessionVersion?: number;
};

/** The actor for work the system does by itself (first-start bootstrap, scheduled scrapes). */
export function systemActor(requestId: string = crypto.randomUUID()): Actor {
  return { userId: "system", email: "system@sitrep", name: "Sitrep", role: "admin", requestId };
}
