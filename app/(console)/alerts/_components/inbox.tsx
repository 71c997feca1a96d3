"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertGroupView, Inbox as InboxData, IncidentRef } from "@/lib/alerts/queries";
import { AlertRow } from "./alert-row";
import { GroupActions, type Abilities } from "./group-actions";
import { SEVERITY_LABELS, severityClass } from "./labels";
import { LocalTime, Since } from "./local-time";
import { useAlertsLive } from "./use-alerts-live";

async function fetchInbox(): Promise<InboxData> {
  const response = await fetch("/api/alerts/inbox", { cache: "no-store" });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? "Could not load the inbox.");
  return response.json();
}

const groupTitle = (g: AlertGroupView) => Object.entries(g.labels).map(([k, v]) => (k === "alertname" ? v : `${k}=${v}`)).join(" · ") || g.alerts[0]?.name || "Alerts";

/** The live alert inbox: firing groups first (most severe, then oldest), silenced after, resolved last. */
export function Inbox({ initial, incidents, can }: { initial: InboxData; incidents: IncidentRef[]; can: Abilities }) {
  const { data, error } = useQuery({ queryKey: ["alerts-inbox"], queryFn: fetchInbox, initialData: initial, staleTime: 0 });
  const queryClient = useQueryClient();
  const live = useAlertsLive(() => void queryClient.invalidateQueries({ queryKey: ["alerts-inbox"] }));
  const firing = data.groups.filter((g) => g.status === "firing" && !g.silenced);
  const silenced = data.groups.filter((g) => g.status === "firing" && g.silenced);
  const resolved = data.groups.filter((g) => g.status === "resolved");
  return (
    <div className="space-y-6">
      <p className="flex flex-wrap items-center gap-3 text-sm" role="status" aria-live="polite">
        <span data-testid="inbox-summary">
          {data.firingAlerts === 0 ? "Nothing is firing." : `${data.firingAlerts} firing alert${data.firingAlerts === 1 ? "" : "s"} in ${data.firingGroups} group${data.firingGroups === 1 ? "" : "s"}.`}
        </span>
        <span className={`badge ${live === "live" ? "border border-ok text-ok" : "border border-sev2 text-sev2"}`} data-testid="inbox-live">{live === "live" ? "Live" : live === "connecting" ? "Connecting…" : "Reconnecting…"}</span>
        {error && <span className="text-sev1">{(error as Error).message}</span>}
      </p>
      <GroupList title="Firing" groups={firing} incidents={incidents} can={can} empty="No firing alerts need anyone right now." />
      {silenced.length > 0 && <GroupList title="Silenced" groups={silenced} incidents={incidents} can={can} />}
      <GroupList title="Resolved in the last 24 hours" groups={resolved} incidents={incidents} can={can} empty="None." />
    </div>
  );
}

function GroupList({ title, groups, incidents, can, empty }: { title: string; groups: AlertGroupView[]; incidents: IncidentRef[]; can: Abilities; empty?: string }) {
  return (
    <section aria-label={title} className="space-y-3">
      <h2 className="text-lg font-semibold">{title} <span className="text-sm font-normal text-muted">({groups.length})</span></h2>
      {groups.length === 0 && empty && <p className="text-sm text-muted">{empty}</p>}
      {groups.map((g) => <GroupCard key={g.key} group={g} incidents={incidents} can={can} />)}
    </section>
  );
}

function GroupCard({ group, incidents, can }: { group: AlertGroupView; incidents: IncidentRef[]; can: Abilities }) {
  const title = groupTitle(group);
  const lead = group.alerts.find((a) => a.status === "firing") ?? group.alerts[0];
  return (
    <article aria-label={`Alert group ${title}`} data-testid="alert-group" data-alertname={lead?.name} className={`panel space-y-2 ${group.status === "firing" && group.severity === "critical" && !group.silenced ? "border-l-4 border-sev1" : ""}`}>
      <header className="flex flex-wrap items-center gap-2">
        <span className={`badge ${severityClass[group.severity]}`}>{SEVERITY_LABELS[group.severity]}</span>
        <h3 className="font-semibold">{title}</h3>
        <span className="text-sm text-muted">
          {group.status === "firing" ? `${group.firing} firing` : "resolved"}
          {group.total > group.firing && group.status === "firing" ? `, ${group.total - group.firing} resolved` : ""}
          {group.oldestFiringAt && <> · <Since iso={group.oldestFiringAt} prefix="for " /> (since <LocalTime iso={group.oldestFiringAt} />)</>}
          {lead && <> · {lead.source.name}</>}
        </span>
        {lead?.acked && <span className="badge border border-line">Acknowledged by {lead.acked.by}</span>}
        {lead?.silence && <span className="badge border border-line">Silenced until <LocalTime iso={lead.silence.endsAt} /></span>}
        {group.incident ? (
          <Link className="badge border border-accent text-accent" href={`/incidents/${group.incident.ref}`} data-testid="group-incident">{group.incident.ref} · {group.incident.status}</Link>
        ) : (
          lead && <span className="badge border border-line" title={lead.routing.rule ? `Routing rule: ${lead.routing.rule.name}` : "From the alert's severity"}>Suggested {lead.routing.suggestedSeverity}</span>
        )}
      </header>
      <ul className="divide-y divide-line">
        {group.alerts.map((a) => <AlertRow key={a.id} alert={a} />)}
      </ul>
      {group.total > group.alerts.length && lead && (
        <p className="text-xs text-muted"><Link className="underline" href={`/alerts/${lead.id}`}>{group.total - group.alerts.length} more in this group</Link></p>
      )}
      {lead && group.status === "firing" && <GroupActions lead={lead} group={group} incidents={incidents} can={can} title={title} />}
    </article>
  );
}
