"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { setImageHostsAction } from "./actions";

export function ImageHostsForm({ hosts, version }: { hosts: string[]; version: number }) {
  const [state, action, pending] = useActionState(setImageHostsAction, null as ActionResult<unknown> | null);
  const failed = state && !state.ok ? state : null;
  const errors = Object.entries(failed?.fieldErrors ?? {})
    .filter(([key]) => key.startsWith("hosts"))
    .flatMap(([, messages]) => messages);
  return (
    <form action={action} className="panel space-y-3" aria-label="Allowed image hosts">
      <input type="hidden" name="version" value={version} />
      <Field name="hosts" label="Image hosts" errors={errors.length ? errors : undefined} hint="One origin per line, e.g. https://images.example.com or https://*.example.com. Leave empty to allow only this console.">
        {(p) => <textarea {...p} rows={5} className="input font-mono" defaultValue={failed?.values?.hosts ?? hosts.join("\n")} key={version} />}
      </Field>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Saving…" : "Save image hosts"}</button>
        <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>{state?.message ?? ""}</p>
      </div>
    </form>
  );
}
