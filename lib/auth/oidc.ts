import type { Role } from "@/db/schema";
import { roles } from "@/db/schema/users";

/**
 * Maps an OIDC claim to a Sitrep role. `map` is "claimValue=role,…" (e.g. "sre-leads=commander");
 * the claim may be a string or an array (groups). The most powerful matching role wins.
 */
export function roleFromClaims(
  claims: Record<string, unknown>,
  claimName: string | undefined,
  map: string | undefined,
  fallback: Role,
): Role {
  if (!claimName || !map) return fallback;
  const raw = claims[claimName];
  const values = Array.isArray(raw) ? raw.map(String) : raw == null ? [] : [String(raw)];
  const pairs = map
    .split(",")
    .map((pair) => pair.split("=").map((s) => s.trim()))
    .filter((pair): pair is [string, Role] => pair.length === 2 && (roles as readonly string[]).includes(pair[1]));
  const matched = pairs.filter(([value]) => values.includes(value)).map(([, role]) => role);
  // roles are listed most powerful first
  return roles.find((r) => matched.includes(r)) ?? fallback;
}
