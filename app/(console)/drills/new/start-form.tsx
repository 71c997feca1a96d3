"use client";

import { useActionState, useState } from "react";
import { Field } from "@/app/_components/field";
import type { ActionResult } from "@/app/_lib/define-action";
import { startDrillAction } from "../actions";

type Props = {
  slug: string;
  environments: Array<{ id: string; name: string; production: boolean; kind: string }>;
  inputs: Array<{ name: string; description: string; pattern: string }>;
  generated: Array<{ name: string; description: string }>;
};

export function StartDrillForm({ slug, environments, inputs, generated }: Props) {
  const [state, action, pending] = useActionState(startDrillAction, null as ActionResult<unknown> | null);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  const values = failed?.values ?? {};
  const [environmentId, setEnvironmentId] = useState(values.environmentId ?? environments[0]?.id ?? "");
  const production = environments.find((e) => e.id === environmentId)?.production ?? false;
  if (!environments.length) return <p className="panel">No environment yet: an admin adds one under Environments (the reference environment appears when Sitrep starts with it).</p>;
  return (
    <form action={action} className="panel grid gap-3 sm:grid-cols-2" aria-label="Start drill">
      <input type="hidden" name="runbookSlug" value={slug} />
      <Field name="environmentId" label="Environment" errors={errors.environmentId}>
        {(p) => (
          <select {...p} className="input" value={environmentId} onChange={(e) => setEnvironmentId(e.target.value)}>
            {environments.map((e) => <option key={e.id} value={e.id}>{e.name}{e.production ? " (production)" : ""}</option>)}
          </select>
        )}
      </Field>
      <Field name="mode" label="How to run" errors={errors.mode} hint="All steps in order, or one at a time while you watch.">
        {(p) => (
          <select {...p} className="input" defaultValue={values.mode ?? "auto"}>
            <option value="auto">All steps in order</option>
            <option value="step">One step at a time</option>
          </select>
        )}
      </Field>
      {inputs.map((i) => (
        <Field key={i.name} name={`input_${i.name}`} label={`Input: ${i.name}`} errors={errors[i.name] ?? errors[`input_${i.name}`]} hint={`${i.description} — asked once, used by every step that needs it.`}>
          {(p) => <input {...p} required className="input" pattern={i.pattern.replace(/^\^|\$$/g, "")} defaultValue={values[`input_${i.name}`]} />}
        </Field>
      ))}
      {generated.length > 0 && (
        <p className="text-sm text-muted sm:col-span-2">
          Generated fresh for this drill: {generated.map((g) => `${g.name} (${g.description.toLowerCase()})`).join(", ")}.
        </p>
      )}
      {production && (
        <label className="flex items-center gap-2 sm:col-span-2">
          <input type="checkbox" name="confirmProduction" />
          <span>This is a production environment: I mean to run this drill against production.</span>
        </label>
      )}
      {errors.confirmProduction && <p className="field-error sm:col-span-2">{errors.confirmProduction.join(" ")}</p>}
      {errors.leftovers && (
        <div role="group" aria-labelledby="leftovers-heading" className="rounded border border-sev2 p-3 sm:col-span-2">
          <h2 id="leftovers-heading" className="font-semibold">Left over from an earlier drill</h2>
          <ul className="ml-5 list-disc text-sm">{errors.leftovers.map((l) => <li key={l}>{l}</li>)}</ul>
          <label className="mt-2 flex items-center gap-2">
            <input type="checkbox" name="cleanLeftovers" />
            <span>Remove these first, then start (the removal is recorded in the audit log).</span>
          </label>
        </div>
      )}
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Starting…" : "Start drill"}</button>
        <p role="status" aria-live="polite" className="text-sm text-sev1">{failed?.message ?? ""}</p>
      </div>
    </form>
  );
}
