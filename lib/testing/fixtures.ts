import type { Db } from "@/db/client";
import { users, type Role } from "@/db/schema";
import type { Actor } from "@/lib/actor";

// bcrypt hash of TEST_PASSWORD at cost 4: fixtures stay fast; real accounts use cost 12.
export const TEST_PASSWORD = "test-password-123";
const TEST_PASSWORD_HASH = "$2b$04$pDkfmOIw42CpMBF7qq6EOuLBFU9gDgO0fQI8lKt8V2blldKvP2Dre";

let counter = 0;

/** A user row plus the actor that lib/ functions take. */
export async function makeUser(db: Db, options: { role?: Role; email?: string; name?: string } = {}) {
  const n = ++counter;
  const role = options.role ?? "responder";
  const [user] = await db
    .insert(users)
    .values({
      email: options.email ?? `${role}-${n}-${Math.random().toString(36).slice(2, 6)}@example.test`,
      name: options.name ?? `${role[0].toUpperCase()}${role.slice(1)} ${n}`,
      role,
      passwordHash: TEST_PASSWORD_HASH,
    })
    .returning();
  const actor: Actor = { userId: user.id, email: user.email, name: user.name, role: user.role, requestId: crypto.randomUUID() };
  return { user, actor };
}
