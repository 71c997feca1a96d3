import Link from "next/link";
import type { AlertView } from "@/lib/alerts/queries";
import { SEVERITY_LABELS, severityClass } from "./labels";
import { LocalTime } from "./local-time";
import { RunbookLinks } from "./runbook-links";

const HIDDEN_LABELS = new Set(["alertname", "severity", "source"]);

/** One alert in a group: what, where (labels), since when, and its runbook a click away. */
export function AlertRow({ alert }: { alert: AlertView }) {
  const labels = Object.entries(alert.labels).filter(([k]) => !HIDDEN_LABELS.has(k));
  return (
    <li className="flex flex-col gap-1 py-2 text-sm" data-testid="alert-row">
      <div className="flex flex-wrap items-center gap-2">
        {alert.status === "resolved" ? <span className="badge border border-ok text-ok">Resolved</span> : <span className={`badge ${severityClass[alert.severity]}`}>{SEVERITY_LABELS[alert.severity]}</span>}
        <Link href={`/alerts/${alert.id}`} className="font-medium underline">{alert.title}</Link>
        <span className="text-muted">
          {alert.status === "resolved" && alert.endsAt ? <>resolved <LocalTime iso={alert.endsAt} /></> : <>since <LocalTime iso={alert.startsAt} /></>}
          {alert.receivedCount > 1 ? ` · ${alert.receivedCount} notifications` : ""}
        </span>
        {alert.incident && <Link href={`/incidents/${alert.incident.ref}`} className="text-accent underline">{alert.incident.ref}</Link>}
      </div>
      {labels.length > 0 && (
        <ul className="flex flex-wrap gap-1" aria-label="Labels">
          {labels.slice(0, 8).map(([k, v]) => <li key={k} className="rounded border border-line px-1.5 font-mono text-xs">{k}={v}</li>)}
        </ul>
      )}
      {alert.annotations.description && <p className="text-muted">{alert.annotations.description}</p>}
      <RunbookLinks alert={alert} />
    </li>
  );
}
