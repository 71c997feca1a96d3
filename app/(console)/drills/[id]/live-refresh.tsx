"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/**
 * Follows the drill over server-sent events (/api/drills/:id/live) and re-renders the page from
 * the server whenever the drill's fingerprint differs from the one this render shows. EventSource
 * reconnects by itself; the stream's first event after a reconnect is the current fingerprint.
 */
export function LiveDrill({ drillId, fingerprint }: { drillId: string; fingerprint: string }) {
  const router = useRouter();
  const shown = useRef(fingerprint);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    shown.current = fingerprint;
  }, [fingerprint]);
  useEffect(() => {
    const source = new EventSource(`/api/drills/${drillId}/live`);
    source.addEventListener("open", () => setConnected(true));
    source.addEventListener("error", () => setConnected(false));
    source.addEventListener("change", (event) => {
      const { fingerprint: next } = JSON.parse((event as MessageEvent).data) as { fingerprint: string };
      if (next !== shown.current) {
        shown.current = next;
        router.refresh();
      }
    });
    return () => source.close();
  }, [drillId, router]);
  return (
    <p className="text-xs text-muted" data-testid="drill-live" data-connected={connected}>
      {connected ? "Live: this page follows the drill as it changes." : "Reconnecting to the drill’s live updates…"}
    </p>
  );
}

type Chunk = { seq: number; stream: string; text: string };

/** The running item's output as it arrives, from its execution's stream. */
export function LiveOutput({ executionId }: { executionId: string }) {
  const [chunks, setChunks] = useState<Chunk[]>([]);
  useEffect(() => {
    setChunks([]);
    const source = new EventSource(`/api/executions/${executionId}/stream`);
    source.addEventListener("chunk", (event) => {
      const chunk = JSON.parse((event as MessageEvent).data) as Chunk;
      setChunks((list) => (list.length && list[list.length - 1].seq >= chunk.seq ? list : [...list, chunk]));
    });
    source.addEventListener("end", () => source.close());
    return () => source.close();
  }, [executionId]);
  return (
    <pre className="max-h-80 overflow-auto whitespace-pre-wrap rounded bg-bg p-2 text-xs" aria-live="polite" aria-label="Output so far" data-testid="live-output">
      {chunks.length ? chunks.map((c) => c.text).join("") : "Waiting for output…"}
    </pre>
  );
}
