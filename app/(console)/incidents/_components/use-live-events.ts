"use client";

import { useEffect, useRef, useState } from "react";
import type { TimelineEventView } from "@/lib/incidents/views";

export type LiveState = "connecting" | "live" | "down";

/**
 * Follows /api/live/incidents. EventSource reconnects by itself and sends Last-Event-ID; when the
 * browser gives up (e.g. the server answered with an error) we open a new one after the last
 * event we saw, so nothing is missed either way.
 */
export function useLiveEvents(options: { incidentId?: string; after: number; onEvent: (event: TimelineEventView) => void; onReconnect?: () => void }): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const lastId = useRef(options.after);
  const handlers = useRef(options);
  useEffect(() => {
    handlers.current = options;
  });
  const { incidentId } = options;
  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let wasDown = false;
    const connect = () => {
      const params = new URLSearchParams({ after: String(lastId.current) });
      if (incidentId) params.set("incident", incidentId);
      source = new EventSource(`/api/live/incidents?${params}`);
      source.onopen = () => {
        setState("live");
        if (wasDown) handlers.current.onReconnect?.();
        wasDown = false;
      };
      source.addEventListener("timeline", (message) => {
        const event = JSON.parse((message as MessageEvent<string>).data) as TimelineEventView;
        lastId.current = Math.max(lastId.current, event.seq);
        handlers.current.onEvent(event);
      });
      source.onerror = () => {
        setState("down");
        wasDown = true;
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
  }, [incidentId]);
  return state;
}
