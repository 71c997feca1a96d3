"use client";

import { When } from "@/app/_components/time";
import type { IncidentView } from "@/lib/incidents/views";
import { STATUS_LABELS, STATUS_ORDER } from "@/lib/incidents/state-machine";
import { NoteBody } from "./note-body";

/** The record of the incident: summary, surfaces, lifecycle and its milestones with who reached them. */
export function DetailsPanel({ incident, summaryHtml, people }: { incident: IncidentView; summaryHtml: string; people: { id: string; name: string }[] }) {
  const who = (userId: string | null) => people.find((p) => p.id === userId)?.name;
  const milestones = [
    ["Detected", incident.detectedAt, incident.detectedBy],
    ["Declared", incident.declaredAt, incident.declaredBy],
    ["Acknowledged", incident.acknowledgedAt, incident.acknowledgedBy],
    ["Mitigated", incident.mitigatedAt, incident.mitigatedBy],
    ["Resolved", incident.resolvedAt, incident.resolvedBy],
    ["Closed", incident.closedAt, incident.closedBy],
  ] as const;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <section aria-labelledby="summary-heading" className="panel space-y-2">
        <h2 id="summary-heading" className="text-lg font-semibold">Summary</h2>
        {incident.summary ? <NoteBody html={summaryHtml} text={incident.summary} /> : <p className="text-sm text-muted">No summary written.</p>}
        <p className="text-sm"><span className="text-muted">Affected surfaces:</span> {incident.surfaces.join(", ") || "none named"}</p>
        {incident.closeOverrideReason && <p className="text-sm text-sev2">Closed by admin override: {incident.closeOverrideReason}</p>}
        <p className="text-sm">
          <a href={`/incidents/${incident.ref}/review`} className="text-accent underline">Postmortem review</a>
          {" · "}
          <a href={`/status/incidents/${incident.id}`} className="text-accent underline">Public page</a>
        </p>
      </section>
      <section aria-labelledby="lifecycle-heading" className="panel space-y-3">
        <h2 id="lifecycle-heading" className="text-lg font-semibold">Lifecycle</h2>
        <ol className="flex flex-wrap gap-1 text-xs" aria-label="Lifecycle">
          {STATUS_ORDER.map((s) => (
            <li key={s} aria-current={s === incident.status ? "step" : undefined} className={`rounded px-2 py-0.5 ${s === incident.status ? "bg-accent font-semibold text-white dark:text-black" : "border border-line text-muted"}`}>
              {STATUS_LABELS[s]}
            </li>
          ))}
        </ol>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {milestones.map(([label, at, by]) => (
            <div key={label} className="contents">
              <dt className="text-muted">{label}</dt>
              <dd>
                {at ? <When at={at} show="clock" /> : "—"}
                {at && who(by) ? ` · ${who(by)}` : ""}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
