import "server-only";
// Native bcrypt hashes on libuv's thread pool: a sign-in never holds the event loop (bcryptjs ran
// in 100 ms slices on it, so every request waited behind a sign-in). Hashes stay standard bcrypt:
// the $2b$ ones written before verify, new ones are $2y$ (the same algorithm; bcryptjs reads them).
import { hash, verify } from "@node-rs/bcrypt";

const COST = 12;
// Compared against when the account does not exist, so timing does not reveal which emails exist.
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO0v5sXqUhpa5U1d5Rk0QzGMsk6bKX5Ay";

export function hashPassword(password: string): Promise<string> {
  return hash(password, COST);
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const ok = await verify(password, stored ?? DUMMY_HASH);
  return ok && !!stored;
}

export function generatePassword(): string {
  // 18 random bytes → 24 URL-safe characters.
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64url");
}
