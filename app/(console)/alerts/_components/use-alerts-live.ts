"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

export type AlertsLiveState = "connecting" | "live" | "down";

/**
 * Follows /api/alerts/live and re-reads the given queries on every (coalesced) change notice.
 * The stream sends one notice on connect, so a tab that reconnects catches up from the database.
 */
export function useAlertsLive(queryKeys: string[][]): AlertsLiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AlertsLiveState>("connecting");
  const keys = JSON.stringify(queryKeys);
  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      source = new EventSource("/api/alerts/live");
      source.onopen = () => setState("live");
      source.addEventListener("alerts", () => {
        for (const key of JSON.parse(keys) as string[][]) void queryClient.invalidateQueries({ queryKey: key });
      });
      source.onerror = () => {
        setState("down");
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          retry = setTimeout(connect, 2000);
        }
      };
    };
    connect();
    return () => {
      source?.close();
      if (retry) clearTimeout(retry);
    };
  }, [keys, queryClient]);
  return state;
}
