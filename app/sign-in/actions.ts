"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/auth";
import { waitInWords } from "@/lib/auth/sign-in";

export type SignInState = { message?: string; email?: string };

// Sign-in has no session yet, so it is the one action outside defineAction. Auditing and
// throttling happen in lib/auth/sign-in.ts, called by the credentials provider.
export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "").slice(0, 254);
  const callbackUrl = String(form.get("callbackUrl") ?? "/");
  // Only a path on this site: not "//host", nor "/\host" (which browsers read as "//host").
  const redirectTo = /^\/(?![/\\])/.test(callbackUrl) && !/[\u0000-\u001f\\]/.test(callbackUrl) ? callbackUrl : "/";
  try {
    await signIn("credentials", { email, password: String(form.get("password") ?? ""), redirectTo });
    return {};
  } catch (error) {
    if (error instanceof AuthError) return { email, message: refusal((error as AuthError & { code?: string }).code) };
    throw error; // Next's redirect after success travels as an error.
  }
}

function refusal(code: string | undefined): string {
  const [reason, seconds] = (code ?? "invalid").split(":");
  const wait = Number(seconds) > 0 ? waitInWords(Number(seconds)) : null;
  if (reason === "throttled") {
    return `Too many failed sign-ins for this account from your address. Try again in ${wait ?? "a little while"}, or ask an admin to clear the wait.`;
  }
  return wait
    ? `That email and password do not match an active account. After several failed attempts, the next one must wait ${wait}.`
    : "That email and password do not match an active account.";
}
