"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/auth";

export type SignInState = { message?: string; email?: string };

// Sign-in has no session yet, so it is the one action outside defineAction. Auditing and
// throttling happen in lib/auth/sign-in.ts, called by the credentials provider.
export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").slice(0, 254);
  const callbackUrl = String(form.get("callbackUrl") ?? "/");
  const redirectTo = callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  try {
    await signIn("credentials", { email, password: String(form.get("password") ?? ""), redirectTo });
    return {};
  } catch (error) {
    if (error instanceof AuthError) {
      const throttled = error.type === "CredentialsSignin" && (error as AuthError & { code?: string }).code === "throttled";
      return {
        email,
        message: throttled
          ? "Too many failed attempts for this account. Wait a little and try again."
          : "That email and password do not match an active account.",
      };
    }
    throw error; // Next's redirect after success travels as an error.
  }
}
