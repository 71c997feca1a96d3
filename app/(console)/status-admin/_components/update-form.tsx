"use client";

import { useActionState, useEffect, useMemo, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/app/_lib/define-action";
import { findSensitive } from "@/lib/status/public-text";
import { saveUpdateAction } from "../actions";
import { PublicTextCheck } from "./public-text-check";

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
const STATE_WORDS: Record<string, string> = Object.fromEntries(STATES.map((s) => [s.value, s.label.toLowerCase()]));

export type FormComponent = {
  id: string;
  name: string;
  groupName: string;
  state: string;
  suggestion: { state: string; reason: string } | null;
  prefill: string;
  prefillResolved: string;
};

type Props = {
  incidentId: string;
  publicTitle: string;
  templates: Record<string, string>;
  components: FormComponent[];
  defaultStatus: string;
  incidentOpen: boolean;
  people: string[];
  cadenceMinutes: number | null;
};

const prefillFor = (status: string, components: FormComponent[]) =>
  Object.fromEntries(components.map((c) => [c.id, status === "resolved" ? c.prefillResolved : c.prefill]));

/**
 * Writes a public update. Starts from the template of the incident's stage, with the components
 * at what this incident last said or the health board suggests; runs the check before publish as
 * the author types, and asks before "Operational everywhere" goes out above an open incident.
 */
export function UpdateForm({ incidentId, publicTitle, templates, components, defaultStatus, incidentOpen, people, cadenceMinutes }: Props) {
  const [state, action, pending] = useActionState(saveUpdateAction, null as ActionResult<unknown> | null);
  const [status, setStatus] = useState<string>(defaultStatus);
  const [title, setTitle] = useState<string>(publicTitle);
  const [message, setMessage] = useState<string>(templates[defaultStatus] ?? "");
  const [states, setStates] = useState<Record<string, string>>(() => prefillFor(defaultStatus, components));
  const [confirmSensitive, setConfirmSensitive] = useState(false);
  const [confirmOperational, setConfirmOperational] = useState(false);
  const lastTemplate = useRef(templates[defaultStatus] ?? "");
  const touchedStates = useRef(false);
  const router = useRouter();
  // The panel around the form is server-rendered: show the new update there, start the next one fresh.
  useEffect(() => {
    if (!state?.ok) return;
    setConfirmSensitive(false);
    setConfirmOperational(false);
    touchedStates.current = false;
    router.refresh();
  }, [state, router]);
  // A refusal by the check is about the text it saw: once the author edits, the live check speaks.
  const [editedSinceResult, setEditedSinceResult] = useState(false);
  useEffect(() => setEditedSinceResult(false), [state]);
  const edited = () => setEditedSinceResult(true);
  const failed = state && !state.ok ? state : null;
  const rawErrors = failed?.fieldErrors ?? {};
  const errors = editedSinceResult ? { ...rawErrors, confirmSensitive: [], confirmOperational: [] } : rawErrors;
  const err = (name: string) => (errors[name]?.length ? <p id={`pu-${name}-error`} className="field-error">{errors[name].join(" ")}</p> : null);
  const described = (name: string) => (errors[name]?.length ? `pu-${name}-error` : undefined);

  const options = useMemo(() => ({ people, cadenceMinutes }), [people, cadenceMinutes]);
  const titleFindings = useMemo(() => findSensitive(title, options), [title, options]);
  const messageFindings = useMemo(() => findSensitive(message, options), [message, options]);
  // What the page would show once this is published: "Not affected" keeps the current state.
  const allOperational = components.length > 0 && components.every((c) => (states[c.id] || c.state) === "operational");
  const operationalWarning = status !== "resolved" && incidentOpen && allOperational;

  const chooseStatus = (next: string) => {
    setStatus(next);
    edited();
    // Replace the text only while it is still the untouched template, the states while nobody changed them.
    if (!message.trim() || message === lastTemplate.current) {
      setMessage(templates[next] ?? "");
      lastTemplate.current = templates[next] ?? "";
    }
    if (!touchedStates.current) setStates(prefillFor(next, components));
  };

  return (
    <form action={action} aria-label="Public update" className="space-y-3">
      <input type="hidden" name="incidentId" value={incidentId} />
      <div>
        <label htmlFor="pu-title" className="label">Public headline</label>
        <input id="pu-title" name="title" className="input" required maxLength={200} value={title} onChange={(e) => {
            setTitle(e.target.value);
            edited();
          }} aria-invalid={!!errors.title} aria-describedby={described("title") ?? "pu-title-hint"} />
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
        <textarea id="pu-message" name="message" className="input min-h-28" maxLength={5000} value={message} onChange={(e) => {
            setMessage(e.target.value);
            edited();
          }} aria-invalid={!!errors.message} aria-describedby={described("message") ?? "pu-message-hint"} />
        <p id="pu-message-hint" className="mt-1 text-xs text-muted">No names, hosts, commands or internal notes: everyone can read this. The check below flags them as you type.</p>
        {err("message")}
      </div>
      <fieldset>
        <legend className="label">Affected components</legend>
        {components.length === 0 && <p className="text-sm text-muted">No components on the status page yet.</p>}
        <div className="grid gap-2 sm:grid-cols-2">
          {components.map((c) => (
            <div key={c.id}>
              <label htmlFor={`pu-c-${c.id}`} className="text-sm">{c.name} <span className="text-muted">({c.groupName}, now {STATE_WORDS[c.state] ?? c.state})</span></label>
              <select
                id={`pu-c-${c.id}`}
                name={`component:${c.id}`}
                className="input"
                value={states[c.id] ?? ""}
                onChange={(e) => {
                  touchedStates.current = true;
                  setStates({ ...states, [c.id]: e.target.value });
                  edited();
                }}
                aria-describedby={c.suggestion ? `pu-c-${c.id}-hint` : undefined}
              >
                {STATES.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
              </select>
              {c.suggestion && (
                <p id={`pu-c-${c.id}-hint`} className="mt-1 text-xs text-muted" data-testid="component-suggestion">
                  Health board suggests {STATE_WORDS[c.suggestion.state]}: {c.suggestion.reason}.
                </p>
              )}
            </div>
          ))}
        </div>
        {err("components")}
      </fieldset>
      <PublicTextCheck
        id="pu-check"
        texts={[
          { label: "Public headline", text: title, findings: titleFindings },
          { label: "Message", text: message, findings: messageFindings },
        ]}
        serverError={errors.confirmSensitive}
        confirmed={confirmSensitive}
        onConfirm={setConfirmSensitive}
      />
      {(operationalWarning || !!errors.confirmOperational?.length) && (
        <div className="space-y-2 rounded border border-sev2 p-3" data-testid="operational-warning">
          <p id="pu-operational" className="text-sm">
            {errors.confirmOperational?.length ? errors.confirmOperational.join(" ") :
              "Every component would show Operational, so the status page would read “All systems operational” while this incident is open. Mark the affected components, or confirm that nothing public is affected."}
          </p>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="confirmOperational" value="true" checked={confirmOperational} onChange={(e) => setConfirmOperational(e.target.checked)} aria-describedby="pu-operational" />
            <span>Nothing public is affected: publish “Operational everywhere”.</span>
          </label>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" name="publish" value="true" className="btn-primary" disabled={pending}>{pending ? "Working…" : "Publish update"}</button>
        <button type="submit" name="publish" value="false" className="btn" disabled={pending}>Save as draft</button>
        <p role="status" aria-live="polite" className={`text-sm ${state?.ok ? "text-ok" : "text-sev1"}`}>
          {state ? (state.ok ? ((state.data as { draft?: boolean })?.draft ? "Draft saved." : "Update published.") : rawErrors.confirmSensitive || rawErrors.confirmOperational ? (editedSinceResult ? "" : "Not published: see the check above.") : state.message) : ""}
        </p>
      </div>
    </form>
  );
}
