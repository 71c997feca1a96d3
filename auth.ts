import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { authConfig } from "@/auth.config";
import { env } from "@/lib/env";
import { authenticate } from "@/lib/auth/sign-in";
import { signInSchema } from "@/lib/auth/schemas";
import { upsertOidcUser } from "@/lib/auth/oidc-users";

class ThrottledSignIn extends CredentialsSignin {
  code = "throttled";
}

const providers: NextAuthConfig["providers"] = [
  Credentials({
    credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
    async authorize(credentials, request) {
      const parsed = signInSchema.safeParse(credentials);
      if (!parsed.success) return null;
      const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
      const result = await authenticate(await getDb(), parsed.data.email, parsed.data.password, requestId);
      if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name };
      if (result.reason === "throttled") throw new ThrottledSignIn();
      return null;
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
  callbacks: {
    async jwt({ token, user, account, profile }) {
      if (account?.provider === "oidc" && profile) {
        const row = await upsertOidcUser(await getDb(), profile as Record<string, unknown>);
        token.uid = row.id;
      } else if (user?.id) {
        token.uid = user.id;
      }
      return token;
    },
    async session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
});
