"use client";

import { useEffect, useRef, useState } from "react";

export type AlertsLiveState = "connecting" | "live" | "down";

/**
 * Follows /api/alerts/live and calls `onChange` on every (coalesced) change notice. The stream
 * sends one notice on connect, so a tab that reconnects catches up from the database.
 */
export function useAlertsLive(onChange: () => void): AlertsLiveState {
  const [state, setState] = useState<AlertsLiveState>("connecting");
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  });
  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      source = new EventSource("/api/alerts/live");
      source.onopen = () => setState("live");
      source.addEventListener("alerts", () => handler.current());
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
  }, []);
  return state;
}

/**
 * JSON from `url`, read again on every alerts notice (the first comes on connect). Only the
 * newest read's answer is kept; a failed read keeps what was there (or shows `failed`).
 */
export function useAlertsLiveJson<T>(url: string, initial: T, failed?: T): T {
  const [data, setData] = useState(initial);
  const reads = useRef(0);
  useAlertsLive(() => {
    const n = ++reads.current;
    void fetch(url, { cache: "no-store" })
      .then((r) => (r.ok ? (r.json() as Promise<T>) : Promise.reject(new Error(String(r.status)))))
      .then(
        (next) => n === reads.current && setData(next),
        () => n === reads.current && failed !== undefined && setData(failed),
      );
  });
  return data;
}
