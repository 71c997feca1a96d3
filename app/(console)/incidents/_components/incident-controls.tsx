"use client";

import { forwardRef, useEffect, useState } from "react";
import { INCIDENT_STATUS_HINTS } from "@/app/_lib/incident-labels";
import type { IncidentView } from "@/lib/incidents/views";
import { STATUS_LABELS, allowedTargets } from "@/lib/incidents/state-machine";
import { lazyComponent } from "@/app/_components/lazy";
import { changeSeverityAction, changeStatusAction, handOverAction } from "../actions";
import { ActionMessage, useIncidentAction } from "./use-action";

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

/**
 * Moving back to an earlier stage: a separate action with a reason and a confirmation step. The
 * button is here; its form loads when first opened (preloaded on hover and focus).
 */
export function ReopenControl({ incident }: { incident: IncidentView }) {
  const action = useIncidentAction(changeStatusAction, incident.id);
  const [open, setOpen] = useState(false);
  useResetOnVersion(incident.version, () => setOpen(false));
  if (!allowedTargets(incident.status).some((t) => t.backwards)) return null;
  // The result stays here, below the button, once the form has closed.
  if (open) return <ReopenForm key={incident.version} incident={incident} action={action} onClose={() => setOpen(false)} />;
  return (
    <div>
      <button type="button" className="btn" onMouseEnter={ReopenForm.preload} onFocus={ReopenForm.preload} onClick={() => setOpen(true)}>Reopen…</button>
      <ActionMessage result={action.result} />
    </div>
  );
}

const ReopenForm = lazyComponent(() => import("./incident-controls-more").then((m) => m.ReopenForm));
export const CloseOverrideControl = lazyComponent(() => import("./incident-controls-more").then((m) => m.CloseOverrideControl));

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
