import "server-only";
import { sseStreamOpened } from "@/lib/metrics";
import type { LiveMessage } from "@/lib/live";
import { INCIDENT_CHANNEL } from "@/lib/incidents/record";
import { ALERTS_CHANNEL } from "./ingest";

export type Listen = (channel: string, handler: (message: LiveMessage) => void) => Promise<() => void>;

const encoder = new TextEncoder();

/** Incident changes that alter what the inbox and banners show (an incident resolving, closing). */
const incidentMatters = (m: LiveMessage) => {
  const kind = (m.event as { kind?: string } | undefined)?.kind;
  return !kind || kind === "status.changed" || kind.startsWith("alert.") || kind === "incident.declared";
};

/**
 * "Something changed, read the inbox again", coalesced: during a storm thousands of alerts a
 * second become at most one message per `throttleMs`. The first message goes out on connect, so a
 * reconnecting tab re-reads the current state from the database before following live again.
 */
export function openAlertStream(options: { listen: Listen; signal?: AbortSignal; throttleMs?: number; heartbeatMs?: number }): ReadableStream<Uint8Array> {
  const throttleMs = options.throttleMs ?? 250;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastSent = 0;
  let pending = false;
  const unsubscribers: (() => void)[] = [];
  let ctrl: ReadableStreamDefaultController<Uint8Array>;
  let uncount: (() => void) | undefined;
  let seq = 0;

  const write = (text: string) => {
    if (closed) return;
    try {
      ctrl.enqueue(encoder.encode(text));
    } catch {
      close();
    }
  };
  const flush = () => {
    timer = undefined;
    pending = false;
    lastSent = Date.now();
    write(`event: alerts\ndata: ${JSON.stringify({ seq: ++seq, at: new Date().toISOString() })}\n\n`);
  };
  const changed = () => {
    if (closed || pending) return;
    pending = true;
    timer = setTimeout(flush, Math.max(0, lastSent + throttleMs - Date.now()));
  };
  function close() {
    if (closed) return;
    closed = true;
    uncount?.();
    for (const u of unsubscribers) u();
    if (timer) clearTimeout(timer);
    if (heartbeat) clearInterval(heartbeat);
    try {
      ctrl.close();
    } catch {
      // Already closed by the reader.
    }
  }
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      ctrl = controller;
      uncount = sseStreamOpened("alerts");
      options.signal?.addEventListener("abort", close, { once: true });
      write(`retry: 1000\n: connected\n\n`);
      try {
        unsubscribers.push(await options.listen(ALERTS_CHANNEL, changed));
        unsubscribers.push(await options.listen(INCIDENT_CHANNEL, (m) => incidentMatters(m) && changed()));
      } catch {
        close();
        return;
      }
      flush();
      heartbeat = setInterval(() => write(`: ping\n\n`), options.heartbeatMs ?? 15_000);
    },
    cancel() {
      close();
    },
  });
}
