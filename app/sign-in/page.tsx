import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { signIn } from "@/auth";
import { getActor } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  await connection();
  if (await getActor()) redirect("/");
  const { callbackUrl } = await searchParams;
  const oidcName = env.SITREP_OIDC_ISSUER ? (env.SITREP_OIDC_NAME ?? "Single sign-on") : null;
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4">
      <h1 className="mb-1 text-2xl font-bold">Sitrep</h1>
      <p className="mb-6 text-sm text-muted">Incident command console. Sign in to continue.</p>
      <div className="panel">
        <SignInForm callbackUrl={callbackUrl ?? "/"} />
        {oidcName && (
          <form
            className="mt-4 border-t border-line pt-4"
            action={async () => {
              "use server";
              await signIn("oidc", { redirectTo: "/" });
            }}
          >
            <button type="submit" className="btn w-full justify-center">Continue with {oidcName}</button>
          </form>
        )}
      </div>
    </main>
  );
}
