"use client";

import { useEffect, useRef, useState } from "react";

export type AlertsLiveState = "connecting" | "live" | "down";

type Follower = { onChange: () => void; onState: (state: AlertsLiveState) => void };

/**
 * One alerts stream per tab, whoever follows it (the banner, the incident's alerts, the inbox):
 * opened by the first follower, closed after the last, reopened 2 s after the server closed it.
 */
const stream = {
  source: null as EventSource | null,
  retry: undefined as ReturnType<typeof setTimeout> | undefined,
  state: "connecting" as AlertsLiveState,
  /** Change notices received: a read may only be shared with one started after the same notice. */
  notices: 0,
  followers: new Set<Follower>(),
  setState(state: AlertsLiveState) {
    stream.state = state;
    for (const f of stream.followers) f.onState(state);
  },
  connect() {
    const source = new EventSource("/api/alerts/live");
    stream.source = source;
    source.onopen = () => stream.setState("live");
    source.addEventListener("alerts", () => {
      stream.notices += 1;
      for (const f of stream.followers) f.onChange();
    });
    source.onerror = () => {
      stream.setState("down");
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        stream.retry = setTimeout(stream.connect, 2000);
      }
    };
  },
  follow(follower: Follower): () => void {
    stream.followers.add(follower);
    if (!stream.source) stream.connect();
    // The stream's notice on connect has gone by: a late follower reads now.
    else if (stream.state === "live") follower.onChange();
    return () => {
      stream.followers.delete(follower);
      if (stream.followers.size > 0) return;
      stream.source?.close();
      stream.source = null;
      clearTimeout(stream.retry);
      stream.state = "connecting";
    };
  },
};

/**
 * Follows /api/alerts/live and calls `onChange` on every (coalesced) change notice. The stream
 * sends one notice on connect, so a tab that reconnects catches up from the database.
 */
export function useAlertsLive(onChange: () => void): AlertsLiveState {
  const [state, setState] = useState<AlertsLiveState>(stream.state);
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  });
  useEffect(() => stream.follow({ onChange: () => handler.current(), onState: setState }), []);
  return state;
}

/** Reads of the same address after the same notice (the incident's alerts chip and panel) share one request. */
const reading = new Map<string, Promise<unknown>>();

function readJson(url: string): Promise<unknown> {
  const key = `${stream.notices} ${url}`;
  let read = reading.get(key);
  if (!read) {
    read = fetch(url, { cache: "no-store" })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
      .finally(() => reading.delete(key));
    reading.set(key, read);
  }
  return read;
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
    void readJson(url).then(
      (next) => n === reads.current && setData(next as T),
      () => n === reads.current && failed !== undefined && setData(failed),
    );
  });
  return data;
}
