"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * Re-renders the review when the incident's timeline moves (new notes, moments marked, times
 * corrected, events added, publishing), so every open tab follows without a reload.
 */
export function LiveRefresh({ incidentId, after }: { incidentId: string; after: number }) {
  const router = useRouter();
  // The first render's position; refreshes re-render with a newer one but the stream stays open.
  const from = useRef(after);
  useEffect(() => {
    const source = new EventSource(`/api/live/incidents?${new URLSearchParams({ incident: incidentId, after: String(from.current) })}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("timeline", () => {
      clearTimeout(timer);
      timer = setTimeout(() => router.refresh(), 250);
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [incidentId, router]);
  return null;
}
