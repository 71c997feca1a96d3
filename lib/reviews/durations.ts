import type { ReviewMoment } from "@/db/schema/reviews";

// Pure: no database, no clock. The review page, the exports and the reliability page share these.

export type MomentTimes = Partial<Record<ReviewMoment, string | Date | null>>;
export type DurationName = "detect" | "acknowledge" | "mitigate" | "resolve";
export type Durations = Record<DurationName, number | null>;

export const DURATION_NAMES: DurationName[] = ["detect", "acknowledge", "mitigate", "resolve"];

/**
 * Which two moments each duration spans. Detect and acknowledge are steps (start → noticed,
 * noticed → someone owns it); mitigate and resolve count from the start, because that is how long
 * users were affected.
 */
export const DURATION_SPANS: Record<DurationName, [ReviewMoment, ReviewMoment]> = {
  detect: ["started", "detected"],
  acknowledge: ["detected", "acknowledged"],
  mitigate: ["started", "mitigated"],
  resolve: ["started", "resolved"],
};

export const DURATION_LABELS: Record<DurationName, string> = {
  detect: "Time to detect",
  acknowledge: "Time to acknowledge",
  mitigate: "Time to mitigate",
  resolve: "Time to resolve",
};

const ms = (v: string | Date | null | undefined) => (v === null || v === undefined ? null : new Date(v).getTime());

/** Milliseconds per duration; null when a moment is missing or the two are out of order. */
export function computeDurations(moments: MomentTimes): Durations {
  const out = {} as Durations;
  for (const name of DURATION_NAMES) {
    const [from, to] = DURATION_SPANS[name];
    const a = ms(moments[from]);
    const b = ms(moments[to]);
    out[name] = a === null || b === null || b < a ? null : b - a;
  }
  return out;
}

export type DurationStats = { count: number; mean: number | null; median: number | null; max: number | null };
export type AggregateRow = { key: string; incidents: number; stats: Record<DurationName, DurationStats> };

function stats(values: number[]): DurationStats {
  if (values.length === 0) return { count: 0, mean: null, median: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { count: values.length, mean: Math.round(values.reduce((s, v) => s + v, 0) / values.length), median, max: sorted[sorted.length - 1] };
}

/** Groups incidents' durations by a key (severity, month …) and summarises each duration. */
export function aggregateDurations<T>(items: T[], keyOf: (item: T) => string, durationsOf: (item: T) => Durations): AggregateRow[] {
  const groups = new Map<string, Durations[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key) ?? [];
    list.push(durationsOf(item));
    groups.set(key, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => ({
      key,
      incidents: list.length,
      stats: Object.fromEntries(
        DURATION_NAMES.map((name) => [name, stats(list.map((d) => d[name]).filter((v): v is number => v !== null))]),
      ) as Record<DurationName, DurationStats>,
    }));
}

/** "2026-03" in UTC. */
export function monthKey(at: string | Date): string {
  return new Date(at).toISOString().slice(0, 7);
}

/** "1 h 05 min", "42 s", "3 d 2 h": short enough for a table cell. */
export function formatDuration(value: number | null): string {
  if (value === null) return "—";
  const s = Math.round(value / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${String(s % 60).padStart(2, "0")} s` : ""}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Moments in the order they happen; the pairs a review checks (a reversed pair makes a figure wrong). */
const MOMENT_WORDS: Record<ReviewMoment, string> = { started: "Started", detected: "Detected", acknowledged: "Acknowledged", mitigated: "Mitigated", resolved: "Resolved" };
const ORDERED_PAIRS: [ReviewMoment, ReviewMoment][] = [
  ["started", "detected"],
  ["started", "mitigated"],
  ["started", "resolved"],
  ["detected", "acknowledged"],
  ["detected", "mitigated"],
  ["detected", "resolved"],
  ["acknowledged", "resolved"],
  ["mitigated", "resolved"],
];

export type MomentProblem = { moments: ReviewMoment[]; message: string };

const at = (v: string | Date) => new Date(v).toISOString().slice(0, 19).replace("T", " ") + " UTC";

/**
 * Key moments that contradict each other or the declaration: detected after the incident was
 * declared, mitigated before detected, and so on. The review shows them; the reliability figures
 * leave such incidents out rather than count a wrong duration.
 */
export function momentOrderProblems(moments: MomentTimes, declaredAt?: string | Date | null): MomentProblem[] {
  const out: MomentProblem[] = [];
  const detected = ms(moments.detected);
  const declared = ms(declaredAt);
  if (detected !== null && declared !== null && detected > declared) {
    // A start that merely fell back to this detection is just as wrong.
    const startedFromDetection = ms(moments.started) === detected;
    out.push({
      moments: startedFromDetection ? ["detected", "started"] : ["detected"],
      message: `Detected (${at(moments.detected!)}) is after the incident was declared (${at(declaredAt!)}): someone noticed the problem before declaring it. Mark the first signal as Detected, or correct its time.`,
    });
  }
  for (const [first, then] of ORDERED_PAIRS) {
    const a = ms(moments[first]);
    const b = ms(moments[then]);
    if (a === null || b === null || a <= b) continue;
    out.push({ moments: [first, then], message: `${MOMENT_WORDS[then]} (${at(moments[then]!)}) is before ${MOMENT_WORDS[first]} (${at(moments[first]!)}).` });
  }
  return out;
}

/** The durations a set of problems makes unreliable. */
export function durationsAffected(problems: MomentProblem[]): Set<DurationName> {
  const out = new Set<DurationName>();
  for (const p of problems) for (const name of DURATION_NAMES) if (DURATION_SPANS[name].some((m) => p.moments.includes(m))) out.add(name);
  return out;
}
