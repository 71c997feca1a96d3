"use client";

import Link from "next/link";
import type { IncidentAlertsState } from "@/lib/alerts/queries";
import { SEVERITY_LABELS, severityClass } from "./labels";
import { LocalTime, Since } from "./local-time";
import { RunbookLinks } from "./runbook-links";
import { useAlertsLiveJson } from "./use-alerts-live";

const useIncidentAlerts = (incidentId: string, initial: IncidentAlertsState) => useAlertsLiveJson(`/api/alerts/incidents/${incidentId}`, initial);

/** "2 alerts attached: 1 firing" — a compact, live line for the incident header. */
export function IncidentAlertsChip({ incidentId, initial }: { incidentId: string; initial: IncidentAlertsState }) {
  return <AlertsChip data={useIncidentAlerts(incidentId, initial)} />;
}

function AlertsChip({ data }: { data: IncidentAlertsState }) {
  if (data.alerts.length === 0) return null;
  return (
    <span className={`badge ${data.firing ? "border border-sev1 text-sev1" : "border border-ok text-ok"}`} data-testid="incident-alerts-chip">
      {data.firing ? `${data.firing} of ${data.alerts.length} alert${data.alerts.length === 1 ? "" : "s"} firing` : <>All {data.alerts.length} alert{data.alerts.length === 1 ? "" : "s"} resolved{data.lastResolvedAt ? <>, <Since iso={data.lastResolvedAt} /> ago</> : null}</>}
    </span>
  );
}

/** The incident's attached alerts with their current state and runbook, live. */
export function IncidentAlerts({ incidentId, initial, incidentRef }: { incidentId: string; initial: IncidentAlertsState; incidentRef: string }) {
  const data = useIncidentAlerts(incidentId, initial);
  return (
    <section aria-labelledby="incident-alerts" className="space-y-2" data-testid="incident-alerts">
      <h3 id="incident-alerts" className="flex flex-wrap items-center gap-2 font-medium">Alerts <AlertsChip data={data} /></h3>
      {data.alerts.length === 0 ? (
        <p className="text-sm text-muted">No alerts attached. Attach them from the <Link className="underline" href="/alerts">inbox</Link>.</p>
      ) : (
        <ul className="divide-y divide-line text-sm">
          {data.alerts.map((a) => (
            <li key={a.id} className="space-y-1 py-2">
              <div className="flex flex-wrap items-center gap-2">
                {a.status === "firing" ? <span className={`badge ${severityClass[a.severity]}`}>{SEVERITY_LABELS[a.severity]} · firing</span> : <span className="badge border border-ok text-ok">Resolved</span>}
                <Link className="font-medium underline" href={`/alerts/${a.id}`}>{a.title}</Link>
                <span className="text-muted">
                  fired <LocalTime iso={a.startsAt} />
                  {a.endsAt ? <>, resolved <LocalTime iso={a.endsAt} /></> : <> · <Since iso={a.startsAt} prefix="for " /></>} · {a.source.name}
                </span>
              </div>
              <RunbookLinks alert={a} incidentRef={incidentRef} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
