import { getDb } from "@/db/client";
import { signalSeries } from "@/lib/signals";
import { SignalCharts } from "./sparkline";

/** The last hour of an environment's key runtime signals (environment page). */
export async function EnvironmentSignals({ environmentId }: { environmentId: string }) {
  const to = Date.now();
  const from = to - 60 * 60_000;
  const series = await signalSeries(await getDb(), environmentId, new Date(from));
  return (
    <section aria-labelledby="signals" className="panel space-y-2">
      <h2 id="signals" className="text-lg font-semibold">Signals (last hour)</h2>
      <SignalCharts series={series} from={from} to={to} />
    </section>
  );
}
