import type { Series } from "@/lib/signals";

export type Milestone = { at: string; label: string };

const LABELS: Record<string, string> = {
  oris_runtime_queue_depth: "Queue depth",
  oris_runtime_lease_conflict_rate: "Lease conflict rate",
  oris_runtime_recovery_latency_ms: "Recovery latency (ms)",
  oris_runtime_backpressure_total: "Backpressure",
  oris_runtime_terminal_error_rate: "Terminal error rate",
};

/** A small inline SVG line of one series, with milestones as vertical marks on the time axis. */
export function Sparkline({ series, from, to, milestones = [] }: { series: Series; from: number; to: number; milestones?: Milestone[] }) {
  const w = 220;
  const h = 44;
  const values = series.points.map((p) => p.value);
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  const span = to - from || 1;
  const x = (at: string) => ((new Date(at).getTime() - from) / span) * w;
  const y = (v: number) => h - 2 - ((v - min) / (max - min || 1)) * (h - 4);
  const d = series.points.map((p, i) => `${i ? "L" : "M"}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const last = values[values.length - 1];
  const name = `${LABELS[series.metric] ?? series.metric}${series.reason ? ` (${series.reason})` : ""}`;
  return (
    <figure className="min-w-0" data-testid={`signal-${series.metric}${series.reason ? `-${series.reason}` : ""}`}>
      <figcaption className="flex justify-between gap-2 text-xs">
        <span>{name}</span>
        <span className="font-mono">{last === undefined ? "no data" : Number.isInteger(last) ? last : last.toFixed(3)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" height={h} role="img" aria-label={`${name}: ${values.length} samples, latest ${last ?? "none"}, max ${max}`} className="text-accent">
        {milestones.map((m) => {
          const mx = x(m.at);
          if (mx < 0 || mx > w) return null;
          return (
            <g key={m.label + m.at}>
              <line x1={mx} x2={mx} y1={0} y2={h} stroke="currentColor" strokeOpacity={0.35} strokeDasharray="2 2" />
              <title>{`${m.label} ${m.at}`}</title>
            </g>
          );
        })}
        <path d={d} fill="none" stroke="currentColor" strokeWidth={1.5} />
      </svg>
    </figure>
  );
}

export function SignalCharts({ series, from, to, milestones }: { series: Series[]; from: number; to: number; milestones?: Milestone[] }) {
  if (!series.length) return <p className="text-sm text-muted">No signal samples yet: the scraper stores one every 15 s.</p>;
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {series.map((s) => <Sparkline key={s.metric + s.reason} series={s} from={from} to={to} milestones={milestones} />)}
    </div>
  );
}
