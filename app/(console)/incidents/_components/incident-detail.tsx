"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { IncidentDetail as Detail } from "@/lib/incidents/queries";
import type { TimelineEventView } from "@/lib/incidents/views";
import { STATUS_LABELS, STATUS_ORDER } from "@/lib/incidents/state-machine";
import { Checklists } from "./checklists";
import { CloseOverrideControl, HandOverControl, SeverityControl, StatusControl, type SevInfo } from "./incident-controls";
import { LiveIndicator } from "./live-indicator";
import { Markdown } from "./markdown";
import { NoteForm } from "./note-form";
import { RolesPanel } from "./roles-panel";
import { Timeline } from "./timeline";
import { sevClass, statusClass, utc } from "./format";
import { useLiveEvents } from "./use-live-events";

export type Me = { userId: string; canManage: boolean; canNote: boolean; canTick: boolean; canOverride: boolean };

async function fetchDetail(id: string): Promise<Detail> {
  const response = await fetch(`/api/incidents/${id}`, { cache: "no-store" });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? "Could not load the incident.");
  return response.json();
}

export function IncidentDetail({ initial, me, people, sevs }: { initial: Detail; me: Me; people: { id: string; name: string; role: string }[]; sevs: SevInfo[] }) {
  const id = initial.incident.id;
  const queryClient = useQueryClient();
  const { data } = useQuery({ queryKey: ["incident", id], queryFn: () => fetchDetail(id), initialData: initial });
  const live = useLiveEvents({
    incidentId: id,
    after: initial.latestSeq,
    onEvent: (event: TimelineEventView) => {
      // Show the event at once, then re-read the incident for everything it changed.
      queryClient.setQueryData<Detail>(["incident", id], (old) =>
        old && !old.timeline.some((e) => e.seq === event.seq) ? { ...old, timeline: [...old.timeline, event] } : old,
      );
      void queryClient.invalidateQueries({ queryKey: ["incident", id] });
    },
    onReconnect: () => void queryClient.invalidateQueries({ queryKey: ["incident", id] }),
  });
  const { incident } = data;
  const closed = incident.status === "closed";
  const commanders = people.filter((p) => p.role === "commander" || p.role === "admin");
  const milestones = [
    ["Detected", incident.detectedAt],
    ["Declared", incident.declaredAt],
    ["Acknowledged", incident.acknowledgedAt],
    ["Mitigated", incident.mitigatedAt],
    ["Resolved", incident.resolvedAt],
    ["Closed", incident.closedAt],
  ] as const;
  const who = (userId: string | null) => people.find((p) => p.id === userId)?.name;
  const byOf: Record<string, string | null> = {
    Detected: incident.detectedBy,
    Declared: incident.declaredBy,
    Acknowledged: incident.acknowledgedBy,
    Mitigated: incident.mitigatedBy,
    Resolved: incident.resolvedBy,
    Closed: incident.closedBy,
  };
  return (
    <div className="space-y-6">
      <header className={`space-y-2 ${incident.severity === "SEV1" && !closed ? "border-l-4 border-sev1 pl-3" : ""}`}>
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-muted">{incident.ref}</span>
          <span className={`badge ${sevClass[incident.severity]}`} data-testid="incident-severity">{incident.severity}</span>
          <span className={`badge ${statusClass(incident.status)}`} data-testid="incident-status">{STATUS_LABELS[incident.status]}</span>
          <LiveIndicator state={live} />
          <a href={`/incidents/${incident.ref}/review`} className="ml-auto text-sm underline">Review</a>
        </div>
        <h1 className="text-2xl font-bold">{incident.title}</h1>
        <p className="text-sm">
          Commander: <strong data-testid="incident-commander">{data.commanderName ?? "—"}</strong>
          {incident.surfaces.length > 0 && <> · Surfaces: {incident.surfaces.join(", ")}</>}
        </p>
        {incident.summary && <Markdown text={incident.summary} />}
        {incident.closeOverrideReason && <p className="text-sm text-sev2">Closed by admin override: {incident.closeOverrideReason}</p>}
        <ol className="flex flex-wrap gap-1 text-xs" aria-label="Lifecycle">
          {STATUS_ORDER.map((s) => (
            <li key={s} aria-current={s === incident.status ? "step" : undefined} className={`rounded px-2 py-0.5 ${s === incident.status ? "bg-accent font-semibold text-white dark:text-black" : "border border-line text-muted"}`}>
              {STATUS_LABELS[s]}
            </li>
          ))}
        </ol>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-3 lg:grid-cols-6">
          {milestones.map(([label, at]) => (
            <div key={label}>
              <dt className="text-muted">{label}</dt>
              <dd>{utc(at)}{at && who(byOf[label]) ? ` · ${who(byOf[label])}` : ""}</dd>
            </div>
          ))}
        </dl>
      </header>
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-4">
          {me.canNote && <NoteForm incidentId={id} />}
          <Timeline incidentId={id} events={data.timeline} revisions={data.revisions} me={me} />
        </div>
        <aside className="space-y-4">
          {me.canManage && (
            <section aria-labelledby="command-heading" className="panel space-y-4">
              <h2 id="command-heading" className="text-lg font-semibold">Command</h2>
              <StatusControl incident={incident} />
              {!closed && <SeverityControl incident={incident} sevs={sevs} />}
              {!closed && <HandOverControl incident={incident} people={commanders} />}
              {me.canOverride && incident.status === "resolved" && <CloseOverrideControl incident={incident} />}
            </section>
          )}
          <RolesPanel incident={incident} roles={data.roles} people={people} canManage={me.canManage} />
          <Checklists incidentId={id} lists={data.checklists} canTick={me.canTick} closed={closed} />
        </aside>
      </div>
    </div>
  );
}
