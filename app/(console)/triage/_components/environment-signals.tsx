import { getDb } from "@/db/client";
import { signalSeries } from "@/lib/signals";
import { listRules, ruleThresholds } from "@/lib/triggers";
import { SignalCharts } from "./signal-charts";

/** The last hour of an environment's key runtime signals (environment page). */
export async function EnvironmentSignals({ environmentId, title = "Signals (last hour)" }: { environmentId: string; title?: string }) {
  const to = Date.now();
  const from = to - 60 * 60_000;
  const db = await getDb();
  const series = await signalSeries(db, environmentId, new Date(from));
  const thresholds = ruleThresholds(await listRules(db));
  return (
    <section aria-labelledby={`signals-${environmentId}`} className="panel space-y-2">
      <h2 id={`signals-${environmentId}`} className="text-lg font-semibold">{title}</h2>
      <SignalCharts series={series} from={from} to={to} thresholds={thresholds} />
    </section>
  );
}
