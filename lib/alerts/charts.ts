import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { environments } from "@/db/schema";
import { signalMeta } from "@/lib/signals/chart-meta";
import { signalSeries } from "@/lib/signals/scrape";
import type { AlertView } from "./queries";

export type AlertChart = {
  title: string;
  unit: string;
  series: { label: string; points: { at: string; value: number }[] }[];
  from: number;
  to: number;
  thresholds: { value: number; label: string }[];
  windows: { from: string; to: string | null; label: string }[];
};

/**
 * The signal behind an alert, when Sitrep stores it: the environment (Sitrep's own rules, or an
 * `environment` label naming one) and the metric (annotation `metric`, optional `threshold`).
 * From half an hour before it fired to now (or ten minutes after it resolved).
 */
export async function chartForAlert(db: Db, alert: Pick<AlertView, "environmentId" | "labels" | "annotations" | "startsAt" | "endsAt" | "title">, now = new Date()): Promise<AlertChart | null> {
  const metric = alert.annotations.metric;
  if (!metric) return null;
  let environmentId = alert.environmentId;
  if (!environmentId && alert.labels.environment) {
    const [env] = await db.select({ id: environments.id }).from(environments).where(eq(environments.name, alert.labels.environment)).limit(1);
    environmentId = env?.id ?? null;
  }
  if (!environmentId) return null;
  const started = new Date(alert.startsAt).getTime();
  const from = started - 30 * 60_000;
  const to = alert.endsAt ? Math.min(now.getTime(), new Date(alert.endsAt).getTime() + 10 * 60_000) : now.getTime();
  const series = await signalSeries(db, environmentId, new Date(from), [metric]);
  const meta = signalMeta(metric);
  // No empty half hour when scraping began later (a console that just started).
  const firstSample = Math.min(...series.flatMap((s) => s.points.slice(0, 1).map((p) => new Date(p.at).getTime())), Infinity);
  const threshold = Number(alert.annotations.threshold);
  return {
    title: meta.title,
    unit: alert.annotations.unit ?? meta.unit,
    series: series.map((s) => ({ label: s.reason ? `${meta.title} (${s.reason})` : meta.title, points: s.points.filter((p) => new Date(p.at).getTime() <= to) })),
    from: Number.isFinite(firstSample) ? Math.max(from, Math.min(firstSample - 60_000, started - 60_000)) : from,
    to,
    thresholds: alert.annotations.threshold !== undefined && Number.isFinite(threshold) ? [{ value: threshold, label: "threshold" }] : [],
    windows: [{ from: alert.startsAt, to: alert.endsAt, label: "firing" }],
  };
}
