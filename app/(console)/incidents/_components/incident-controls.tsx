"use client";

import { useState } from "react";
import type { IncidentView } from "@/lib/incidents/views";
import { STATUS_LABELS, allowedTargets } from "@/lib/incidents/state-machine";
import { changeSeverityAction, changeStatusAction, closeWithOverrideAction, handOverAction } from "../actions";
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

export function StatusControl({ incident }: { incident: IncidentView }) {
  const { run, pending, result } = useIncidentAction(changeStatusAction, incident.id);
  const targets = allowedTargets(incident.status);
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  useResetOnVersion(incident.version, () => {
    setTo("");
    setReason("");
  });
  const chosen = targets.find((t) => t.to === to) ?? targets[0];
  const target = chosen?.to ?? "";
  return (
    <form
      aria-label="Change status"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ incidentId: incident.id, version: incident.version, to: target, reason }, () => {
          setReason("");
          setTo("");
        });
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label className="label" htmlFor="status-to">Move to</label>
          <select id="status-to" className="input w-auto" value={target} onChange={(e) => setTo(e.target.value)}>
            {targets.map((t) => (
              <option key={t.to} value={t.to}>{STATUS_LABELS[t.to]}{t.backwards ? " (reopen)" : ""}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="btn-primary" disabled={pending || !target}>Change status</button>
      </div>
      {chosen?.backwards && (
        <div>
          <label className="label" htmlFor="status-reason">Reason for moving back</label>
          <input id="status-reason" className="input" required value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      {target === "closed" && <p className="text-xs text-muted">Closing needs the post-incident checklist complete.</p>}
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
      {sevs.find((s) => s.severity === to) && (
        <p className="text-xs text-muted" data-testid="sev-definition">
          <strong>{sevs.find((s) => s.severity === to)!.name}:</strong> {sevs.find((s) => s.severity === to)!.description}
        </p>
      )}
      {downgrade && (
        <div>
          <label className="label" htmlFor="sev-reason">Reason for lowering</label>
          <input id="sev-reason" className="input" required value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      <ActionMessage result={result} />
    </form>
  );
}

export function HandOverControl({ incident, people }: { incident: IncidentView; people: Person[] }) {
  const { run, pending, result } = useIncidentAction(handOverAction, incident.id);
  const candidates = people.filter((p) => p.id !== incident.commanderId);
  const [to, setTo] = useState("");
  const target = candidates.some((c) => c.id === to) ? to : (candidates[0]?.id ?? "");
  if (candidates.length === 0) return <p className="text-sm text-muted">No other commander or admin can take command yet.</p>;
  return (
    <form
      aria-label="Hand over command"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ incidentId: incident.id, version: incident.version, toUserId: target });
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label className="label" htmlFor="handover-to">New commander</label>
          <select id="handover-to" className="input w-auto" value={target} onChange={(e) => setTo(e.target.value)}>
            {candidates.map((p) => <option key={p.id} value={p.id}>{p.name} · {p.role}</option>)}
          </select>
        </div>
        <button type="submit" className="btn" disabled={pending || !target}>Hand over command</button>
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
      <input id="override-reason" className="input" minLength={10} required value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why the checklist is skipped" />
      <button type="submit" className="btn-danger" disabled={pending}>Close with override</button>
      <ActionMessage result={result} />
    </form>
  );
}
