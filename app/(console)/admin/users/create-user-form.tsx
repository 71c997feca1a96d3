"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { createUserAction } from "./actions";

const roles = ["viewer", "responder", "commander", "admin"] as const;

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, null as ActionResult<unknown> | null);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  const values = failed?.values ?? {};
  return (
    <form action={action} className="panel grid gap-3 sm:grid-cols-2" aria-label="Create user">
      <Field name="email" label="Email" errors={errors.email}>
        {(p) => <input {...p} type="email" required className="input" defaultValue={values.email} key={`e${values.email ?? ""}`} />}
      </Field>
      <Field name="name" label="Name" errors={errors.name}>
        {(p) => <input {...p} required className="input" defaultValue={values.name} key={`n${values.name ?? ""}`} />}
      </Field>
      <Field name="role" label="Role" errors={errors.role}>
        {(p) => (
          <select {...p} className="input" defaultValue={values.role ?? "viewer"} key={`r${values.role ?? ""}`}>
            {roles.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        )}
      </Field>
      <Field name="password" label="Initial password" errors={errors.password} hint="At least 12 characters. Share it privately.">
        {(p) => <input {...p} type="password" required minLength={12} autoComplete="new-password" className="input" />}
      </Field>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Creating…" : "Create user"}</button>
        <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
          {state ? (state.ok ? state.message : state.message) : ""}
        </p>
      </div>
    </form>
  );
}
