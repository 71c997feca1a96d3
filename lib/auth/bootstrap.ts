import "server-only";
import { count } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { systemActor } from "@/lib/actor";
import { log } from "@/lib/log";
import { createUser } from "./users";
import { generatePassword } from "./password";

export type BootstrapOptions = { email?: string; password?: string };

/**
 * First start with no users: create an admin from the configured email and password, or with a
 * generated password printed once in the server log. Returns what it did, for the CLI and tests.
 */
export async function bootstrapAdmin(db: Db, options: BootstrapOptions) {
  const [{ n }] = await db.select({ n: count() }).from(users);
  if (n > 0) return { created: false as const };
  const email = options.email ?? "admin@sitrep.local";
  const generated = !options.password;
  const password = options.password ?? generatePassword();
  const user = await createUser({ actor: systemActor(), db }, { email, name: "Administrator", role: "admin", password });
  if (generated) {
    // Printed once, on purpose: there is no other way to learn it.
    console.log(
      `\n  Sitrep created the first admin account.\n    email:    ${email}\n    password: ${password}\n  Change it after signing in, or set SITREP_ADMIN_EMAIL and SITREP_ADMIN_PASSWORD before first start.\n`,
    );
  }
  log.info("admin.bootstrap", { userId: user.id, email, generatedPassword: generated });
  return { created: true as const, user, generatedPassword: generated ? password : undefined };
}
