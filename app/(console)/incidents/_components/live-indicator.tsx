"use client";

import type { LiveState } from "./use-live-events";

/** Always present for screen readers; loud only when live updates are not arriving. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const text =
    state === "live" ? "Live" : state === "connecting" ? "Connecting to live updates…" : "Live updates interrupted. Reconnecting; what you see may be out of date.";
  return (
    <p
      role="status"
      aria-live="polite"
      data-live-state={state}
      className={`inline-flex items-center gap-1.5 rounded px-2 py-0.5 text-xs font-semibold ${state === "down" ? "border border-sev1 text-sev1" : "text-muted"}`}
    >
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${state === "live" ? "bg-ok" : state === "down" ? "bg-sev1" : "bg-line"}`} />
      {text}
    </p>
  );
}
