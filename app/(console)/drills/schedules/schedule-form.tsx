"use client";

import { useActionState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { saveScheduleAction } from "../actions";

type Props = {
  runbooks: Array<{ slug: string; title: string }>;
  environments: Array<{ id: string; name: string }>;
  initial: { runbookSlug: string; schedule: string; environmentId: string; enabled: boolean };
};

export function ScheduleForm({ runbooks, environments, initial }: Props) {
  const [state, action, pending] = useActionState(saveScheduleAction, null as ActionResult<{ nextRunAt: string }> | null);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  const values = { ...initial, ...(failed?.values ?? {}) };
  return (
    <form action={action} className="panel grid gap-3 sm:grid-cols-2" aria-label="Drill schedule">
      <Field name="runbookSlug" label="Runbook" errors={errors.runbookSlug}>
        {(p) => (
          <select {...p} className="input" defaultValue={values.runbookSlug} required>
            <option value="">Pick a runbook</option>
            {runbooks.map((r) => <option key={r.slug} value={r.slug}>{r.title}</option>)}
          </select>
        )}
      </Field>
      <Field name="environmentId" label="Environment" errors={errors.environmentId} hint="Never production: nobody watches a scheduled drill.">
        {(p) => (
          <select {...p} className="input" defaultValue={values.environmentId} required>
            <option value="">Pick an environment</option>
            {environments.map((e) => <option key={e.id} value={e.id}>{e.name}</option>)}
          </select>
        )}
      </Field>
      <Field name="schedule" label="When" errors={errors.schedule} hint='"quarterly" (1 Jan, 1 Apr, 1 Jul, 1 Oct, 06:00 UTC), "every 30 days", or cron such as "0 6 * * 1" (UTC).'>
        {(p) => <input {...p} className="input" defaultValue={String(values.schedule)} required />}
      </Field>
      <label className="flex items-center gap-2 self-end">
        <input type="checkbox" name="enabled" defaultChecked={failed ? failed.values?.enabled === "on" : initial.enabled} />
        <span>On</span>
      </label>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Saving…" : "Save schedule"}</button>
        <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
          {state ? (state.ok ? `Saved. Next run ${state.data.nextRunAt.replace("T", " ").slice(0, 16)} UTC.` : state.message) : ""}
        </p>
      </div>
    </form>
  );
}
