"use client";

import { forwardRef, useEffect, useState } from "react";
import { INCIDENT_STATUS_HINTS } from "@/app/_lib/labels";
import type { IncidentView } from "@/lib/incidents/views";
import { STATUS_LABELS, allowedTargets } from "@/lib/incidents/state-machine";
import { changeSeverityAction, changeStatusAction, closeWithOverrideAction, handOverAction } from "../actions";
import { ActionMessage, fieldErrorsOf, useIncidentAction } from "./use-action";

type Person = { id: string; name: string; role: string };

/**
 * When the incident changes under a control (someone else's change, or ours), the choices start
 * over from the new state, but the last result stays: a refused change must stay readable.
 */
function useResetOnVersion(version: number, reset: () => void) {
  const [seen, setSeen] = useState(version);
  if (seen !== version) {
    setSeen(version);
    reset();
  }
}

/**
 * Moves the incident forward: only forward moves are offered, the next stage first and chosen,
 * so `s` then Enter takes one step. Moving back is the separate, confirmed ReopenControl.
 */
export const StatusControl = forwardRef<HTMLSelectElement, { incident: IncidentView; resolveBlockedBy: string | null; onOpenRecovery?: () => void; publicOpen?: boolean }>(function StatusControl(
  { incident, resolveBlockedBy, onOpenRecovery, publicOpen = false },
  selectRef,
) {
  const { run, pending, result, reset } = useIncidentAction(changeStatusAction, incident.id);
  const targets = allowedTargets(incident.status).filter((t) => !t.backwards);
  const [to, setTo] = useState("");
  useResetOnVersion(incident.version, () => setTo(""));
  // A refusal by the recovery gate is stale once the gate opens (a validation passed meanwhile).
  useEffect(() => {
    if (!resolveBlockedBy) reset();
  }, [resolveBlockedBy]);
  const target = targets.find((t) => t.to === to)?.to ?? targets[0]?.to ?? "";
  if (targets.length === 0) return <p className="text-sm text-muted">The incident is closed. Reopen it below to change its status.</p>;
  const submit = (form: HTMLFormElement) => {
    run({ incidentId: incident.id, version: incident.version, to: target, reason: "" }, () => {
      setTo("");
      // Leave the select so the next `s` is a shortcut again, not a jump to an option.
      (form.querySelector("select") as HTMLSelectElement | null)?.blur();
    });
  };
  const gateShown = resolveBlockedBy && target === "resolved";
  return (
    <form
      aria-label="Change status"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        submit(e.currentTarget);
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1">
          <label className="label" htmlFor="status-to">Move to</label>
          <select
            ref={selectRef}
            id="status-to"
            className="input"
            value={target}
            aria-keyshortcuts="s"
            aria-describedby="status-to-hint"
            onChange={(e) => setTo(e.target.value)}
            onKeyDown={(e) => {
              // Enter applies the chosen move, as in a text field.
              if (e.key === "Enter") {
                e.preventDefault();
                if (!pending) e.currentTarget.form?.requestSubmit();
              }
            }}
          >
            {targets.map((t) => (
              <option key={t.to} value={t.to}>{STATUS_LABELS[t.to]} — {INCIDENT_STATUS_HINTS[t.to]}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-primary" disabled={pending || !target}>{pending ? "Changing…" : "Change status"}</button>
      </div>
      <p id="status-to-hint" className="text-xs text-muted">
        <kbd className="font-mono">s</kbd> chooses the next stage, <kbd className="font-mono">Enter</kbd> applies it.
        {target === "closed" && " Closing needs the post-incident checklist complete."}
        {target === "closed" && publicOpen && " The status page must say Resolved first (the final public update)."}
      </p>
      {gateShown && (
        <p className="text-sm text-sev2" data-testid="resolve-blocked">
          {resolveBlockedBy}{" "}
          {onOpenRecovery && <button type="button" className="underline" onClick={onOpenRecovery}>Open recovery validation</button>}
        </p>
      )}
      <ActionMessage result={result && !result.ok && gateShown && result.message === resolveBlockedBy ? null : result} />
    </form>
  );
});

/** Moving back to an earlier stage: a separate action with a reason and a confirmation step. */
export function ReopenControl({ incident }: { incident: IncidentView }) {
  const { run, pending, result } = useIncidentAction(changeStatusAction, incident.id);
  const targets = allowedTargets(incident.status).filter((t) => t.backwards);
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  useResetOnVersion(incident.version, () => {
    setOpen(false);
    setConfirming(false);
    setTo("");
    setReason("");
  });
  if (targets.length === 0) return null;
  const target = targets.find((t) => t.to === to)?.to ?? targets.at(-1)!.to;
  if (!open) {
    return (
      <div>
        <button type="button" className="btn" onClick={() => setOpen(true)}>Reopen…</button>
        <ActionMessage result={result} />
      </div>
    );
  }
  return (
    <form
      aria-label="Reopen incident"
      className="space-y-2 rounded-md border border-sev2 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!confirming) return setConfirming(true);
        run({ incidentId: incident.id, version: incident.version, to: target, reason }, () => setOpen(false));
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
        <button type="button" className="btn" onClick={() => { setOpen(false); setConfirming(false); }}>Cancel</button>
      </div>
      <ActionMessage result={result} />
    </form>
  );
}

export type SevInfo = { severity: string; name: string; description: string };

export function SeverityControl({ incident, sevs }: { incident: IncidentView; sevs: SevInfo[] }) {
  const { run, pending, result } = useIncidentAction(changeSeverityAction, incident.id);
  const [to, setTo] = useState(incident.severity);
  const [reason, setReason] = useState("");
  useResetOnVersion(incident.version, () => {
    setTo(incident.severity);
    setReason("");
  });
  const downgrade = Number(to.slice(3)) > Number(incident.severity.slice(3));
  const definition = sevs.find((s) => s.severity === to);
  return (
    <form
      aria-label="Change severity"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ incidentId: incident.id, version: incident.version, to, reason }, () => setReason(""));
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label className="label" htmlFor="sev-to">Severity</label>
          <select id="sev-to" className="input w-auto" value={to} onChange={(e) => setTo(e.target.value as typeof to)}>
            {(["SEV1", "SEV2", "SEV3"] as const).map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <button type="submit" className="btn" disabled={pending || to === incident.severity}>Change severity</button>
      </div>
      {definition && (
        <p className="text-xs text-muted" data-testid="sev-definition">
          <strong>{definition.name}:</strong> {definition.description}
        </p>
      )}
      {downgrade && (
        <div>
          <label className="label" htmlFor="sev-reason">Reason for lowering</label>
          <input id="sev-reason" className="input" required maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      <ActionMessage result={result} />
    </form>
  );
}

/** Hands command over with a note for the next commander, who then acknowledges it. */
export function HandOverControl({ incident, people }: { incident: IncidentView; people: Person[] }) {
  const { run, pending, result } = useIncidentAction(handOverAction, incident.id);
  const candidates = people.filter((p) => p.id !== incident.commanderId);
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const target = candidates.some((c) => c.id === to) ? to : (candidates[0]?.id ?? "");
  if (candidates.length === 0) return <p className="text-sm text-muted">No other commander or admin can take command yet.</p>;
  return (
    <form
      aria-label="Hand over command"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ incidentId: incident.id, version: incident.version, toUserId: target, note }, () => setNote(""));
      }}
    >
      <div>
        <label className="label" htmlFor="handover-to">New commander</label>
        <select id="handover-to" className="input" value={target} onChange={(e) => setTo(e.target.value)}>
          {candidates.map((p) => <option key={p.id} value={p.id}>{p.name} · {p.role}</option>)}
        </select>
      </div>
      <div>
        <label className="label" htmlFor="handover-note">Hand-over note</label>
        <textarea id="handover-note" className="input" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What they need to know: what is in flight, what to watch" />
      </div>
      <button type="submit" className="btn" disabled={pending || !target}>Hand over command</button>
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
