"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import { createSubscriberAction } from "../actions";

/** Adds a webhook subscriber and shows its signing secret this one time. */
export function CreateWebhookForm() {
  const [state, action, pending] = useActionState(createSubscriberAction, null as ActionResult<{ id: string; url: string; secret: string }> | null);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  return (
    <form action={action} aria-label="Add webhook subscriber" className="grid gap-3 sm:grid-cols-2">
      <div>
        <label htmlFor="wh-url" className="label">URL</label>
        <input id="wh-url" name="url" className="input" required defaultValue={failed?.values?.url} aria-invalid={!!errors.url} aria-describedby={errors.url ? "wh-url-error" : undefined} />
        {errors.url && <p id="wh-url-error" className="field-error">{errors.url.join(" ")}</p>}
      </div>
      <div>
        <label htmlFor="wh-description" className="label">Description</label>
        <input id="wh-description" name="description" className="input" defaultValue={failed?.values?.description} />
      </div>
      <div>
        <label htmlFor="wh-secret" className="label">Secret (optional)</label>
        <input id="wh-secret" name="secret" type="password" className="input" autoComplete="off" aria-invalid={!!errors.secret} aria-describedby={errors.secret ? "wh-secret-error" : "wh-secret-hint"} />
        <p id="wh-secret-hint" className="mt-1 text-xs text-muted">Leave empty to generate one. It signs every payload (HMAC-SHA256).</p>
        {errors.secret && <p id="wh-secret-error" className="field-error">{errors.secret.join(" ")}</p>}
      </div>
      <fieldset className="sm:col-span-2">
        <legend className="label">Events</legend>
        <label className="mr-4 inline-flex items-center gap-2 text-sm"><input type="checkbox" name="topics" value="status" defaultChecked /> Public status changes</label>
        <label className="inline-flex items-center gap-2 text-sm"><input type="checkbox" name="topics" value="drills" /> Scheduled drill outcomes (internal: runbook names and results)</label>
        {errors.topics && <p className="field-error">{errors.topics.join(" ")}</p>}
      </fieldset>
      <div className="flex items-center gap-3 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={pending}>{pending ? "Adding…" : "Add subscriber"}</button>
        <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
          {state ? (state.ok ? <>Subscriber added. Its secret, shown once: <code data-testid="webhook-secret">{state.data.secret}</code></> : state.message) : ""}
        </p>
      </div>
    </form>
  );
}
