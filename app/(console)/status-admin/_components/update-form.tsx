"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/app/_lib/define-action";
import { saveUpdateAction } from "../actions";

const STATUSES = [
  { value: "investigating", label: "Investigating" },
  { value: "identified", label: "Identified" },
  { value: "monitoring", label: "Monitoring" },
  { value: "resolved", label: "Resolved" },
] as const;
const STATES = [
  { value: "", label: "Not affected" },
  { value: "operational", label: "Operational" },
  { value: "degraded", label: "Degraded performance" },
  { value: "partial_outage", label: "Partial outage" },
  { value: "major_outage", label: "Major outage" },
  { value: "maintenance", label: "Under maintenance" },
];

type Props = {
  incidentId: string;
  publicTitle: string;
  templates: Record<string, string>;
  components: { id: string; name: string; groupName: string; state: string }[];
};

/** Writes a public update: starts from the severity's template, picks affected components, drafts or publishes. */
export function UpdateForm({ incidentId, publicTitle, templates, components }: Props) {
  const [state, action, pending] = useActionState(saveUpdateAction, null as ActionResult<unknown> | null);
  const [status, setStatus] = useState<string>("investigating");
  const [message, setMessage] = useState<string>(templates.investigating ?? "");
  const lastTemplate = useRef(templates.investigating ?? "");
  const router = useRouter();
  // The panel around the form is server-rendered: show the new update there.
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const failed = state && !state.ok ? state : null;
  const errors = failed?.fieldErrors ?? {};
  const err = (name: string) => (errors[name]?.length ? <p id={`pu-${name}-error`} className="field-error">{errors[name].join(" ")}</p> : null);
  const described = (name: string) => (errors[name]?.length ? `pu-${name}-error` : undefined);

  const chooseStatus = (next: string) => {
    setStatus(next);
    // Replace the text only while it is still the untouched template.
    if (!message.trim() || message === lastTemplate.current) {
      setMessage(templates[next] ?? "");
      lastTemplate.current = templates[next] ?? "";
    }
  };

  return (
    <form action={action} aria-label="Public update" className="space-y-3">
      <input type="hidden" name="incidentId" value={incidentId} />
      <div>
        <label htmlFor="pu-title" className="label">Public headline</label>
        <input id="pu-title" name="title" className="input" required defaultValue={failed?.values?.title ?? publicTitle} aria-invalid={!!errors.title} aria-describedby={described("title") ?? "pu-title-hint"} />
        <p id="pu-title-hint" className="mt-1 text-xs text-muted">Shown on the status page instead of the internal title.</p>
        {err("title")}
      </div>
      <div>
        <label htmlFor="pu-status" className="label">Status</label>
        <select id="pu-status" name="status" className="input" value={status} onChange={(e) => chooseStatus(e.target.value)} aria-invalid={!!errors.status} aria-describedby={described("status")}>
          {STATUSES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
        {err("status")}
      </div>
      <div>
        <label htmlFor="pu-message" className="label">Message for stakeholders</label>
        <textarea id="pu-message" name="message" className="input min-h-28" value={message} onChange={(e) => setMessage(e.target.value)} aria-invalid={!!errors.message} aria-describedby={described("message") ?? "pu-message-hint"} />
        <p id="pu-message-hint" className="mt-1 text-xs text-muted">No names, hosts, commands or internal notes: everyone can read this.</p>
        {err("message")}
      </div>
      <fieldset>
        <legend className="label">Affected components</legend>
        {components.length === 0 && <p className="text-sm text-muted">No components on the status page yet.</p>}
        <div className="grid gap-2 sm:grid-cols-2">
          {components.map((c) => (
            <div key={c.id}>
              <label htmlFor={`pu-c-${c.id}`} className="text-sm">{c.name} <span className="text-muted">({c.groupName}, now {c.state.replace("_", " ")})</span></label>
              <select id={`pu-c-${c.id}`} name={`component:${c.id}`} className="input" defaultValue="">
                {STATES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
              </select>
            </div>
          ))}
        </div>
        {err("components")}
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" name="publish" value="true" className="btn-primary" disabled={pending}>{pending ? "Working…" : "Publish update"}</button>
        <button type="submit" name="publish" value="false" className="btn" disabled={pending}>Save as draft</button>
        <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
          {state ? (state.ok ? ((state.data as { draft?: boolean })?.draft ? "Draft saved." : "Update published.") : state.message) : ""}
        </p>
      </div>
    </form>
  );
}
