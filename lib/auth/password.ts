import "server-only";
import bcrypt from "bcryptjs";

const COST = 12;
// Compared against when the account does not exist, so timing does not reveal which emails exist.
const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO0v5sXqUhpa5U1d5Rk0QzGMsk6bKX5Ay";

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && !!hash;
}

export function generatePassword(): string {
  // 18 random bytes → 24 URL-safe characters.
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64url");
}
