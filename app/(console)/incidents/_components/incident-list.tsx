"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { IncidentListItem } from "@/lib/incidents/queries";
import { STATUS_LABELS, STATUS_ORDER } from "@/lib/incidents/state-machine";
import { LiveIndicator } from "./live-indicator";
import { Elapsed, When } from "@/app/_components/time";
import { sevClass, statusClass } from "./format";
import { useLiveEvents } from "./use-live-events";

type Filters = { status: string; severity: string; commanderId: string; surface: string; q: string };
type ListData = { incidents: IncidentListItem[]; latestSeq: number };

async function fetchList(filters: Filters): Promise<ListData> {
  const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  const response = await fetch(`/api/incidents?${params}`, { cache: "no-store" });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? "Could not load incidents.");
  return response.json();
}

export function IncidentList({
  initial,
  initialFilters,
  commanders,
  surfaces,
}: {
  initial: ListData;
  initialFilters: Filters;
  commanders: { id: string; name: string }[];
  surfaces: string[];
}) {
  const [filters, setFilters] = useState<Filters>(initialFilters);
  const queryClient = useQueryClient();
  const same = JSON.stringify(filters) === JSON.stringify(initialFilters);
  const query = useQuery({
    queryKey: ["incidents", filters],
    queryFn: () => fetchList(filters),
    initialData: same ? initial : undefined,
    placeholderData: (previous) => previous,
  });
  const live = useLiveEvents({
    after: initial.latestSeq,
    onEvent: () => void queryClient.invalidateQueries({ queryKey: ["incidents"] }),
    onReconnect: () => void queryClient.invalidateQueries({ queryKey: ["incidents"] }),
  });
  const update = (key: keyof Filters, value: string) => {
    const next = { ...filters, [key]: value };
    setFilters(next);
    const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v));
    window.history.replaceState(null, "", `/incidents${params.size ? `?${params}` : ""}`);
  };
  const rows = query.data?.incidents ?? [];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <form role="search" aria-label="Filter incidents" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
          <div>
            <label className="label" htmlFor="f-q">Search</label>
            <input id="f-q" className="input w-56" maxLength={200} placeholder="Title or INC-number" value={filters.q} onChange={(e) => update("q", e.target.value)} />
          </div>
          <div>
            <label className="label" htmlFor="f-status">Status</label>
            <select id="f-status" className="input w-auto" value={filters.status} onChange={(e) => update("status", e.target.value)}>
              <option value="">Any</option>
              <option value="open">Open (not resolved)</option>
              {STATUS_ORDER.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
            </select>
          </div>
          <div>
            <label className="label" htmlFor="f-sev">Severity</label>
            <select id="f-sev" className="input w-auto" value={filters.severity} onChange={(e) => update("severity", e.target.value)}>
              <option value="">Any</option>
              {["SEV1", "SEV2", "SEV3"].map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </div>
          <div>
            <label className="label" htmlFor="f-commander">Commander</label>
            <select id="f-commander" className="input w-auto" value={filters.commanderId} onChange={(e) => update("commanderId", e.target.value)}>
              <option value="">Anyone</option>
              {commanders.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
          </div>
          <div>
            <label className="label" htmlFor="f-surface">Surface</label>
            <input id="f-surface" className="input w-44" maxLength={80} list="surface-options" value={filters.surface} onChange={(e) => update("surface", e.target.value)} />
            <datalist id="surface-options">{surfaces.map((s) => <option key={s} value={s} />)}</datalist>
          </div>
        </form>
        <LiveIndicator state={live} />
      </div>
      {query.isError && <p role="alert" className="field-error">{(query.error as Error).message}</p>}
      <div className="panel overflow-x-auto p-0">
        <table className="table" aria-label="Incidents">
          <thead>
            <tr><th scope="col">Incident</th><th scope="col">Severity</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Commander</th><th scope="col">Surfaces</th><th scope="col">Declared</th><th scope="col">Open for</th></tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr><td colSpan={8} className="py-6 text-center text-muted">No incidents match.</td></tr>
            )}
            {rows.map((i) => (
              <tr key={i.id} className={i.severity === "SEV1" && i.open ? "border-l-4 border-l-sev1 bg-sev1/10 font-semibold" : ""}>
                <td className="whitespace-nowrap font-mono"><Link href={`/incidents/${i.ref}`} className="text-accent underline-offset-2 hover:underline">{i.ref}</Link></td>
                <td><span className={`badge ${sevClass[i.severity]}`}>{i.severity}</span></td>
                <td><Link href={`/incidents/${i.ref}`} className="hover:underline">{i.title}</Link></td>
                <td><span className={`badge ${statusClass(i.status)}`}>{STATUS_LABELS[i.status]}</span></td>
                <td>{i.commanderName ?? "—"}</td>
                <td className="text-muted">{i.surfaces.join(", ") || "—"}</td>
                <td className="whitespace-nowrap"><When at={i.declaredAt} /></td>
                <td className="whitespace-nowrap font-mono">{i.open ? <Elapsed since={i.declaredAt} /> : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
