"use client";

import { useState } from "react";
import type { IncidentView } from "@/lib/incidents/views";
import { STATUS_LABELS, allowedTargets } from "@/lib/incidents/state-machine";
import { closeWithOverrideAction } from "../actions";
import { ActionMessage, fieldErrorsOf, useIncidentAction } from "./use-action";

// The rarely used controls, loaded when shown (incident-controls.tsx keeps their buttons).

/** Moving back to an earlier stage: a separate action with a reason and a confirmation step. */
/** The reopen form ReopenControl shows: a target stage, a reason, then a confirmation. */
export function ReopenForm({ incident, action, onClose }: { incident: IncidentView; action: ReturnType<typeof useIncidentAction<unknown, unknown>>; onClose: () => void }) {
  const { run, pending, result } = action;
  const targets = allowedTargets(incident.status).filter((t) => t.backwards);
  const [confirming, setConfirming] = useState(false);
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  if (targets.length === 0) return null;
  const target = targets.find((t) => t.to === to)?.to ?? targets.at(-1)!.to;
  return (
    <form
      aria-label="Reopen incident"
      className="space-y-2 rounded-md border border-sev2 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!confirming) return setConfirming(true);
        run({ incidentId: incident.id, version: incident.version, to: target, reason }, onClose);
      }}
    >
      <p className="text-sm font-medium">Move the incident back to an earlier stage</p>
      <div>
        <label className="label" htmlFor="reopen-to">Reopen to</label>
        <select id="reopen-to" className="input" value={target} onChange={(e) => { setTo(e.target.value); setConfirming(false); }}>
          {targets.map((t) => <option key={t.to} value={t.to}>{STATUS_LABELS[t.to]}</option>)}
        </select>
      </div>
      <div>
        <label className="label" htmlFor="reopen-reason">Reason for reopening</label>
        <input id="reopen-reason" className="input" required maxLength={2000} value={reason} aria-invalid={!!fieldErrorsOf(result, "reason")} onChange={(e) => { setReason(e.target.value); setConfirming(false); }} />
      </div>
      {confirming && (
        <p role="alert" className="text-sm text-sev2">
          Reopen {incident.ref} to {STATUS_LABELS[target as keyof typeof STATUS_LABELS].toLowerCase()}? Milestones after that stage are cleared; the timeline keeps them.
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-danger" disabled={pending || !reason.trim()}>{confirming ? "Confirm reopen" : "Reopen"}</button>
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
      </div>
      <ActionMessage result={result} />
    </form>
  );
}

export function CloseOverrideControl({ incident }: { incident: IncidentView }) {
  const { run, pending, result } = useIncidentAction(closeWithOverrideAction, incident.id);
  const [reason, setReason] = useState("");
  return (
    <form
      aria-label="Close with override"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ incidentId: incident.id, version: incident.version, reason });
      }}
    >
      <label className="label" htmlFor="override-reason">Close without finishing the post-incident checklist (admin)</label>
      <input id="override-reason" className="input" minLength={10} maxLength={2000} required value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why the checklist is skipped" />
      <button type="submit" className="btn-danger" disabled={pending}>Close with override</button>
      <ActionMessage result={result} />
    </form>
  );
}
