import type { NextAuthConfig } from "next-auth";

// Edge-safe half of the Auth.js config (no database), shared by auth.ts and proxy.ts. The checks that
// count happen on the server in every action and route handler (lib/auth/permissions.ts).
export const authConfig = {
  pages: { signIn: "/sign-in" },
  session: { strategy: "jwt", maxAge: 24 * 60 * 60 },
  trustHost: true,
  providers: [],
} satisfies NextAuthConfig;

/** Pages anyone may open: the sign-in page, the public status page, and API routes (they check for themselves). */
export function isPublicPath(pathname: string): boolean {
  return pathname === "/sign-in" || pathname === "/metrics" || pathname.startsWith("/api/") || pathname === "/status" || pathname.startsWith("/status/") || pathname.startsWith("/status.");
}
