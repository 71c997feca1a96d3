import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { authConfig, SESSION_MAX_AGE_S } from "@/auth.config";
import { env } from "@/lib/env";
import { authenticate } from "@/lib/auth/sign-in";
import { signInSchema } from "@/lib/auth/schemas";
import { upsertOidcUser } from "@/lib/auth/oidc-users";
import { sessionIsCurrent, signOutSession } from "@/lib/auth/sessions";
import { findUserById } from "@/lib/auth/users";
import { authLogger } from "@/lib/auth/auth-logger";
import { clientAddress } from "@/lib/http/client-address";

/** A refused sign-in whose code tells the form what to say: "invalid", "invalid:30" or "throttled:30" (seconds to wait). */
class RefusedSignIn extends CredentialsSignin {
  constructor(reason: "invalid" | "throttled", retryAfterSeconds?: number) {
    super();
    this.code = retryAfterSeconds ? `${reason}:${retryAfterSeconds}` : reason;
  }
}

const providers: NextAuthConfig["providers"] = [
  Credentials({
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, request) {
      const parsed = signInSchema.safeParse(credentials);
      if (!parsed.success) return null;
      const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
      const result = await authenticate(await getDb(), parsed.data.email, parsed.data.password, { requestId, client: clientAddress(request.headers) });
      if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name, sessionVersion: result.user.sessionVersion };
      throw new RefusedSignIn(result.reason, result.retryAfterSeconds);
    },
  }),
];

if (env.SITREP_OIDC_ISSUER && env.SITREP_OIDC_CLIENT_ID && env.SITREP_OIDC_CLIENT_SECRET) {
  providers.push({
    id: "oidc",
    name: env.SITREP_OIDC_NAME ?? "Single sign-on",
    type: "oidc",
    issuer: env.SITREP_OIDC_ISSUER,
    clientId: env.SITREP_OIDC_CLIENT_ID,
    clientSecret: env.SITREP_OIDC_CLIENT_SECRET,
  });
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers,
  logger: authLogger,
  callbacks: {
    async jwt({ token, user, account, profile }) {
      // Sign-in: the session gets its own id and the user's current session version.
      if (account?.provider === "oidc" && profile) {
        const row = await upsertOidcUser(await getDb(), profile as Record<string, unknown>);
        return { ...token, uid: row.id, sv: row.sessionVersion, sid: crypto.randomUUID() };
      }
      if (user?.id) return { ...token, uid: user.id, sv: (user as { sessionVersion?: number }).sessionVersion, sid: crypto.randomUUID() };
      // Every later read: a signed-out session, or one issued before a disable, a lowered role or
      // a password reset, ends here (its cookie is cleared where Auth.js can set cookies).
      try {
        const current = await sessionIsCurrent(await getDb(), { userId: token.uid as string, sessionId: token.sid as string, sessionVersion: token.sv as number });
        if (!current) return null;
      } catch {
        // Database away: the cookie stays; everything that reads data re-checks through getActor.
      }
      return token;
    },
    async session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return Object.assign(session, { sitrep: { sessionId: token.sid, sessionVersion: token.sv } });
    },
  },
  events: {
    // Also for Auth.js's own sign-out endpoint: the session ends for good, not just its cookie here.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (typeof token?.uid !== "string" || typeof token.sid !== "string") return;
      const db = await getDb();
      const user = await findUserById(db, token.uid);
      if (!user) return;
      const actor = { userId: user.id, email: user.email, name: user.name, role: user.role, requestId: crypto.randomUUID(), sessionId: token.sid };
      await signOutSession(db, actor, { sessionId: token.sid, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000) });
    },
  },
});
