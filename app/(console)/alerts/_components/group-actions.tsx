"use client";

import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/app/_lib/define-action";
import type { AlertGroupView, AlertView, IncidentRef } from "@/lib/alerts/queries";
import { acknowledgeAction, attachAction, silenceAction } from "../actions";

export type Abilities = { act: boolean; declare: boolean };

const DURATIONS = [
  { minutes: 15, label: "15 min" },
  { minutes: 60, label: "1 h" },
  { minutes: 240, label: "4 h" },
  { minutes: 1440, label: "24 h" },
];

/** Acknowledge, silence, attach, declare: each acts on the whole firing group. */
export function GroupActions({ lead, group, incidents, can, title }: { lead: AlertView; group: Pick<AlertGroupView, "incident">; incidents: IncidentRef[]; can: Abilities; title: string }) {
  const queryClient = useQueryClient();
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [open, setOpen] = useState<"silence" | "attach" | null>(null);
  const run = (action: () => Promise<ActionResult<unknown>>) =>
    start(async () => {
      const r = await action();
      setResult(r);
      if (r.ok) setOpen(null);
      await queryClient.invalidateQueries({ queryKey: ["alerts-inbox"] });
    });
  if (!can.act && !can.declare) return null;
  const id = lead.id;
  const fieldErrors = result && !result.ok ? result.fieldErrors ?? {} : {};
  return (
    <div className="space-y-2 border-t border-line pt-2">
      <div className="flex flex-wrap gap-2">
        {can.act && !lead.acked && <button type="button" className="btn" disabled={pending} onClick={() => run(() => acknowledgeAction({ alertId: id }))} aria-label={`Acknowledge ${title}`}>Acknowledge</button>}
        {can.act && <button type="button" className="btn" aria-expanded={open === "silence"} onClick={() => setOpen(open === "silence" ? null : "silence")} aria-label={`Silence ${title}`}>Silence…</button>}
        {can.act && !group.incident && incidents.length > 0 && <button type="button" className="btn" aria-expanded={open === "attach"} onClick={() => setOpen(open === "attach" ? null : "attach")} aria-label={`Attach ${title} to an incident`}>Attach…</button>}
        {can.declare && !group.incident && <Link className="btn btn-primary" href={`/alerts/${id}/declare`} aria-label={`Declare incident from ${title}`}>Declare</Link>}
        {group.incident && <Link className="btn" href={`/incidents/${group.incident.ref}`}>Open {group.incident.ref}</Link>}
      </div>
      {open === "silence" && (
        <form
          aria-label={`Silence ${title}`}
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            run(() => silenceAction({ alertId: id, scope: f.get("scope"), durationMinutes: f.get("durationMinutes"), comment: f.get("comment"), alsoInAlertmanager: f.get("alsoInAlertmanager") === "on" }));
          }}
        >
          <div>
            <label className="label" htmlFor={`sil-d-${id}`}>For</label>
            <select id={`sil-d-${id}`} name="durationMinutes" className="input w-auto" defaultValue="60">{DURATIONS.map((d) => <option key={d.minutes} value={d.minutes}>{d.label}</option>)}</select>
          </div>
          <div>
            <label className="label" htmlFor={`sil-s-${id}`}>What</label>
            <select id={`sil-s-${id}`} name="scope" className="input w-auto" defaultValue="group"><option value="group">The whole group</option><option value="alert">Only this alert</option></select>
          </div>
          <div>
            <label className="label" htmlFor={`sil-c-${id}`}>Why</label>
            <input id={`sil-c-${id}`} name="comment" className="input" required minLength={3} aria-invalid={!!fieldErrors.comment} aria-describedby={fieldErrors.comment ? `sil-c-${id}-e` : undefined} />
            {fieldErrors.comment && <p id={`sil-c-${id}-e`} className="field-error">{fieldErrors.comment.join(" ")}</p>}
          </div>
          {lead.source.alertmanager && (
            <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="alsoInAlertmanager" /> Also in Alertmanager</label>
          )}
          <button type="submit" className="btn-primary" disabled={pending}>Silence</button>
        </form>
      )}
      {open === "attach" && (
        <form
          aria-label={`Attach ${title}`}
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            run(() => attachAction({ alertId: id, incidentId: new FormData(e.currentTarget).get("incidentId") }));
          }}
        >
          <div>
            <label className="label" htmlFor={`att-${id}`}>Open incident</label>
            <select id={`att-${id}`} name="incidentId" className="input w-auto">{incidents.map((i) => <option key={i.id} value={i.id}>{i.ref} · {i.severity} · {i.title}</option>)}</select>
          </div>
          <button type="submit" className="btn-primary" disabled={pending}>Attach</button>
        </form>
      )}
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`text-sm ${result.ok ? "text-ok" : "text-sev1"}`}>
          {result.ok ? (result.message ?? "Done.") : result.message}
          {result.ok && (result.data as { alertmanagerError?: string | null } | null)?.alertmanagerError ? ` Silenced here; Alertmanager refused: ${(result.data as { alertmanagerError: string }).alertmanagerError}` : ""}
        </p>
      )}
    </div>
  );
}
