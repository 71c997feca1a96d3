"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import { resetPasswordAction, unlockSignInsAction } from "./actions";

type State = ActionResult<unknown> | null;

/** Sets a new password for one user (their sessions end). */
export function ResetPasswordForm({ user }: { user: { id: string; email: string } }) {
  const [state, action, pending] = useActionState(resetPasswordAction, null as State);
  const id = `reset-${user.id}`;
  const error = state && !state.ok ? (state.fieldErrors?.password?.join(" ") ?? state.message) : null;
  return (
    <details className="w-full">
      <summary className="cursor-pointer text-sm">Reset password</summary>
      <form action={action} className="mt-2 flex flex-wrap items-end gap-2" aria-label={`Reset password for ${user.email}`}>
        <input type="hidden" name="userId" value={user.id} />
        <div>
          <label htmlFor={id} className="label">New password for {user.email}</label>
          <input id={id} name="password" type="password" required minLength={12} autoComplete="new-password" className="input" aria-invalid={!!error} aria-describedby={error ? `${id}-error` : undefined} />
        </div>
        <button type="submit" className="btn" disabled={pending}>{pending ? "Resetting…" : "Set new password"}</button>
        <p role="status" aria-live="polite" className="text-sm text-ok">{state?.ok ? state.message : ""}</p>
        {error && <p id={`${id}-error`} className="field-error w-full">{error}</p>}
      </form>
    </details>
  );
}

/** Clears the sign-in waits of one account, from every address. */
export function UnlockButton({ email }: { email: string }) {
  const [state, action, pending] = useActionState(unlockSignInsAction, null as State);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="email" value={email} />
      <button type="submit" className="btn" disabled={pending} aria-label={`Clear sign-in wait for ${email}`}>Clear wait</button>
      <span role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>{state?.message ?? ""}</span>
    </form>
  );
}
