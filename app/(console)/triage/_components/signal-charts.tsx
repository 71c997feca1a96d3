import type { Series } from "@/lib/signals";
import { signalMeta } from "@/lib/signals/chart-meta";
import type { ChartWindow } from "../../alerts/_components/signal-chart";
import { SignalChart } from "../../alerts/_components/lazy";

export type Milestone = { at: string; label: string };

/** One readable chart per signal (backpressure reasons share one), on one time window. */
export function SignalCharts({ series, from, to, milestones = [], windows = [], thresholds = {} }: { series: Series[]; from: number; to: number; milestones?: Milestone[]; windows?: ChartWindow[]; thresholds?: Record<string, { value: number; label: string }[]> }) {
  if (!series.length) return <p className="text-sm text-muted">No signal samples yet: the scraper stores one per scrape interval.</p>;
  const metrics = [...new Set(series.map((s) => s.metric))];
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {metrics.map((metric) => {
        const meta = signalMeta(metric);
        const own = series.filter((s) => s.metric === metric).map((s) => ({ label: s.reason ? s.reason : meta.title, points: s.points }));
        return <SignalChart key={metric} title={meta.title} unit={meta.unit} series={own} from={from} to={to} marks={milestones} windows={windows} thresholds={thresholds[metric]} />;
      })}
    </div>
  );
}
