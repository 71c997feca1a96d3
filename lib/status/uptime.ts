import type { ComponentState } from "@/db/schema/status";

// Uptime bars from published states only (never from raw health checks): what stakeholders were
// told is what the history shows. Days are UTC calendar days.

export type StateChange = { at: string | Date; state: ComponentState };
export type DayBar = {
  /** YYYY-MM-DD (UTC). */
  date: string;
  /** The worst state published for any part of the day, or null before the component existed. */
  worst: ComponentState | null;
  /** Percentage 0–100 with two decimals, or null when the component did not exist yet. */
  uptime: number | null;
  outageMinutes: number;
};

const DAY_MS = 86_400_000;
const SEVERITY: Record<ComponentState, number> = { operational: 0, maintenance: 1, degraded: 2, partial_outage: 3, major_outage: 4 };
// A major outage counts fully as downtime, a partial outage half; degraded and maintenance count as up.
const DOWN_WEIGHT: Record<ComponentState, number> = { operational: 0, maintenance: 0, degraded: 0, partial_outage: 0.5, major_outage: 1 };

export function worseState(a: ComponentState, b: ComponentState): ComponentState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

export function worstOf(states: ComponentState[]): ComponentState {
  return states.reduce<ComponentState>((w, s) => worseState(w, s), "operational");
}

/**
 * One bar per UTC day for the `days` days ending today. `changes` are the published states in any
 * order; the component is `operational` from `since` until its first change.
 */
export function uptimeBars(changes: StateChange[], since: string | Date, now: Date, days = 90): DayBar[] {
  const sorted = changes.map((c) => ({ at: new Date(c.at).getTime(), state: c.state })).sort((a, b) => a.at - b.at);
  const start = new Date(since).getTime();
  const nowMs = now.getTime();
  const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const bars: DayBar[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const dayStart = todayStart - i * DAY_MS;
    const dayEnd = Math.min(dayStart + DAY_MS, nowMs);
    const date = new Date(dayStart).toISOString().slice(0, 10);
    const from = Math.max(dayStart, start);
    if (from >= dayEnd) {
      bars.push({ date, worst: null, uptime: null, outageMinutes: 0 });
      continue;
    }
    // The state in effect at `from`, then every change inside the day.
    let state: ComponentState = "operational";
    for (const c of sorted) {
      if (c.at <= from) state = c.state;
      else break;
    }
    let worst = state;
    let down = 0;
    let cursor = from;
    for (const c of sorted) {
      if (c.at <= from) continue;
      if (c.at >= dayEnd) break;
      down += (c.at - cursor) * DOWN_WEIGHT[state];
      cursor = c.at;
      state = c.state;
      worst = worseState(worst, state);
    }
    down += (dayEnd - cursor) * DOWN_WEIGHT[state];
    const total = dayEnd - from;
    bars.push({
      date,
      worst,
      uptime: Math.round((1 - down / total) * 10_000) / 100,
      outageMinutes: Math.round(down / 60_000),
    });
  }
  return bars;
}

/** Uptime over all bars that have data, weighted by day, for the "99.95 % over 90 days" line. */
export function overallUptime(bars: DayBar[]): number | null {
  const known = bars.filter((b) => b.uptime !== null);
  if (!known.length) return null;
  return Math.round((known.reduce((sum, b) => sum + (b.uptime ?? 0), 0) / known.length) * 100) / 100;
}
