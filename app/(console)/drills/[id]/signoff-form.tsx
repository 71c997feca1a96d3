"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { signOffAction } from "../actions";

/** The validator's sign-off: the result goes into the runbook's Validation Log. */
export function SignOffForm({ drillId, allowed, hint }: { drillId: string; allowed: Array<"pass" | "pass_with_notes" | "fail">; hint: string }) {
  const [state, run, pending] = useActionState(signOffAction, null as ActionResult<unknown> | null);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  const labels = { pass: "Pass", pass_with_notes: "Pass with notes", fail: "Fail" } as const;
  if (state?.ok) return <p role="status" className="panel text-ok">{state.message}</p>;
  return (
    <form action={run} className="panel grid gap-3" aria-label="Sign off drill">
      <input type="hidden" name="drillId" value={drillId} />
      <p className="text-sm text-muted">{hint}</p>
      <Field name="result" label="Result" errors={errors.result}>
        {(p) => (
          <select {...p} className="input" defaultValue={failed?.values?.result ?? allowed[0]}>
            {allowed.map((r) => <option key={r} value={r}>{labels[r]}</option>)}
          </select>
        )}
      </Field>
      <Field name="notes" label="Notes" errors={errors.notes} hint="Required unless the result is a plain pass. Shown in the Validation Log.">
        {(p) => <textarea {...p} className="input" rows={3} defaultValue={failed?.values?.notes} />}
      </Field>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Signing…" : "Sign off"}</button>
        <p role="status" aria-live="polite" className="text-sm text-sev1">{failed?.message ?? ""}</p>
      </div>
    </form>
  );
}
