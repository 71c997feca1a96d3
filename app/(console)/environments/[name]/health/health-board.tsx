"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { Board } from "@/lib/environments/board";

const PAGE_REFRESH_MS = 2_000;

function ago(iso: string | null, now: number): string {
  if (!iso) return "—";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

const stateStyle = { up: "text-ok", down: "text-sev1", unknown: "text-muted" } as const;

export function HealthBoard({ initial }: { initial: Board }) {
  const path = `/environments/${encodeURIComponent(initial.environment.name)}/health/state`;
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: ["health-board", initial.environment.id],
    queryFn: async (): Promise<Board> => {
      const response = await fetch(path, { cache: "no-store" });
      if (!response.ok) throw new Error(`The board could not be refreshed (HTTP ${response.status}).`);
      return response.json();
    },
    initialData: initial,
    refetchInterval: PAGE_REFRESH_MS,
    staleTime: 0,
  });
  const board = data ?? initial;
  const now = dataUpdatedAt || Date.now();
  const down = board.surfaces.filter((s) => s.state === "down");
  const groups = [...new Set(board.surfaces.map((s) => s.group))];
  return (
    <div className="max-w-6xl space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">Health board: {board.environment.name}</h1>
        {board.environment.production && <span className="badge bg-bg text-sev1">production</span>}
        <Link href={`/environments/${encodeURIComponent(board.environment.name)}`} className="btn">Environment</Link>
      </div>
      <p role="status" aria-live="polite" className={down.length ? "font-semibold text-sev1" : "text-ok"}>
        {board.surfaces.length === 0
          ? "This environment has no surfaces yet."
          : down.length
            ? `${down.length} of ${board.surfaces.length} surfaces down: ${down.map((s) => s.name).join(", ")}`
            : `All ${board.surfaces.length} surfaces up`}
      </p>
      <p className="text-xs text-muted">
        Checked every {Math.round(board.intervalMs / 1000)} s on the server; this page refreshes every {PAGE_REFRESH_MS / 1000} s.
        {error ? ` ${(error as Error).message}` : ""}
      </p>
      {groups.map((group) => (
        <section key={group} aria-labelledby={`group-${group}`}>
          <h2 id={`group-${group}`} className="mb-2 text-lg font-semibold capitalize">{group}</h2>
          <div className="panel overflow-x-auto p-0">
            <table className="table" aria-label={`Surfaces: ${group}`}>
              <thead>
                <tr><th scope="col">Surface</th><th scope="col">State</th><th scope="col">Check</th><th scope="col">Latency</th><th scope="col">Last change</th><th scope="col">Last check</th></tr>
              </thead>
              <tbody>
                {board.surfaces.filter((s) => s.group === group).map((s) => (
                  <tr key={s.id} data-testid="surface-row">
                    <td>
                      <span className="font-medium">{s.name}</span>
                      <span className="block font-mono text-xs text-muted">{s.unit ?? ""}{s.port ? ` · :${s.port}` : ""}</span>
                    </td>
                    <td><span className={`badge bg-bg font-semibold ${stateStyle[s.state]}`} data-testid="surface-state">{s.state}</span></td>
                    <td className="text-xs">
                      {s.status !== null ? `HTTP ${s.status}` : s.error ?? "not checked yet"}
                      {s.status !== null && s.error && s.error !== `HTTP ${s.status}` ? ` · ${s.error}` : ""}
                      <span className="block font-mono text-muted">{s.hostHeader ? `Host: ${s.hostHeader} ` : ""}{s.healthUrl}</span>
                    </td>
                    <td>{s.latencyMs !== null ? `${s.latencyMs} ms` : "—"}</td>
                    <td>{ago(s.changedAt, now)}</td>
                    <td>{ago(s.checkedAt, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <section aria-labelledby="changes">
        <h2 id="changes" className="mb-2 text-lg font-semibold">Recent changes</h2>
        {board.changes.length === 0 ? (
          <p className="text-muted">No state changes recorded yet.</p>
        ) : (
          <ol className="panel space-y-1 text-sm">
            {board.changes.map((c) => (
              <li key={c.id}>
                <time dateTime={c.at} className="font-mono text-xs text-muted">{c.at.replace("T", " ").slice(0, 19)}</time>{" "}
                <span className="font-medium">{c.surface}</span> {c.from} → <span className={stateStyle[c.to as keyof typeof stateStyle]}>{c.to}</span>
                {c.error ? <span className="text-muted"> ({c.error})</span> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
