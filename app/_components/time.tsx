"use client";

import { useSyncExternalStore } from "react";

// The console's one way of showing a moment: relative ("4 min ago") or the viewer's clock, with
// the full date in the viewer's zone and in UTC on hover. The server does not know the viewer's
// zone, so the server render (and the hydrating render, through getServerSnapshot) shows UTC and
// the browser switches to local time right after: no hydration mismatch, no flash of wrong text.

type Store = { now: number; listeners: Set<() => void>; timer?: ReturnType<typeof setInterval>; subscribe: (listener: () => void) => () => void; read: () => number };
const stores = new Map<number, Store>();

// One subscribe function per interval, the same at every render: a new one each render would make
// React unsubscribe and subscribe again, and a clock that restarts re-reads the time, which renders
// again, for ever (React error 185 on a long timeline).
function storeFor(intervalMs: number): Store {
  let store = stores.get(intervalMs);
  if (!store) {
    const s: Store = {
      now: Date.now(),
      listeners: new Set(),
      subscribe: (listener) => {
        s.listeners.add(listener);
        if (!s.timer) {
          s.now = Date.now();
          s.timer = setInterval(() => {
            s.now = Date.now();
            for (const l of s.listeners) l();
          }, intervalMs);
        }
        return () => {
          s.listeners.delete(listener);
          if (s.listeners.size === 0 && s.timer) {
            clearInterval(s.timer);
            s.timer = undefined;
          }
        };
      },
      read: () => s.now,
    };
    stores.set(intervalMs, (store = s));
  }
  return store;
}

const hydrating = () => 0;

/** The current time, re-read every `intervalMs` while someone shows it; 0 while hydrating. */
export function useNow(intervalMs = 15_000): number {
  const store = storeFor(intervalMs);
  return useSyncExternalStore(store.subscribe, store.read, hydrating);
}

const utcText = (d: Date, withDate = true) => `${withDate ? `${d.toISOString().slice(0, 10)} ` : ""}${d.toISOString().slice(11, 19)} UTC`;

const fullLocal = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });
const clockLocal = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dayLocal = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });
const dateLocal = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });

/** "just now", "4 min ago", "in 3 min", "2 h ago", "3 days ago", then the date. */
export function relativeText(at: number, now: number): string {
  const diff = now - at;
  const future = diff < 0;
  const s = Math.abs(diff) / 1000;
  if (s < 45) return future ? "in a moment" : "just now";
  const phrase = (n: number, unit: string) => (future ? `in ${n} ${unit}` : `${n} ${unit} ago`);
  if (s < 3600) return phrase(Math.round(s / 60), "min");
  if (s < 86_400) return phrase(Math.round(s / 3600), "h");
  if (s < 7 * 86_400) return phrase(Math.round(s / 86_400), Math.round(s / 86_400) === 1 ? "day" : "days");
  return dateLocal.format(at);
}

/** The same hover text everywhere: the viewer's zone, then UTC. */
export function hoverText(d: Date): string {
  return `${fullLocal.format(d)} · ${utcText(d)}`;
}

type Props = {
  at: string | Date | null | undefined;
  /** relative: "4 min ago" (default); clock: the viewer's local time of day, with the day when not today. */
  show?: "relative" | "clock";
  className?: string;
};

export function When({ at, show = "relative", className }: Props) {
  const now = useNow();
  if (!at) return <span className={className}>—</span>;
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return <span className={className}>—</span>;
  let text: string;
  if (now === 0) text = utcText(d);
  else if (show === "clock") {
    const sameDay = new Date(now).toDateString() === d.toDateString();
    text = sameDay ? clockLocal.format(d) : `${dayLocal.format(d)} ${clockLocal.format(d)}`;
  } else text = relativeText(d.getTime(), now);
  return (
    <time dateTime={d.toISOString()} title={now === 0 ? utcText(d) : hoverText(d)} className={className}>
      {text}
    </time>
  );
}

/** "1 h 05 min", "12 min 30 s", "45 s": a length of time (elapsed, or until something is due). */
export function durationText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${s} s`;
}

/** Time since `since` (until `until` when it ended), ticking every second. */
export function Elapsed({ since, until, className }: { since: string; until?: string | null; className?: string }) {
  const now = useNow(1000);
  const end = until ? Date.parse(until) : now;
  return (
    <span className={className} title={`Since ${now === 0 ? utcText(new Date(since)) : hoverText(new Date(since))}`}>
      {now === 0 && !until ? "—" : durationText(end - Date.parse(since))}
    </span>
  );
}

/** "due in 12 min 30 s", or "overdue by 3 min 10 s" in red once the moment has passed. */
export function DueIn({ at, className = "" }: { at: string; className?: string }) {
  const now = useNow(1000);
  const left = Date.parse(at) - now;
  const late = now !== 0 && left <= 0;
  return (
    <span className={`${className} ${late ? "font-semibold text-sev1" : ""}`} data-late={late} title={now === 0 ? utcText(new Date(at)) : hoverText(new Date(at))}>
      {now === 0 ? utcText(new Date(at)) : late ? `overdue by ${durationText(-left)}` : `due in ${durationText(left)}`}
    </span>
  );
}
