import "server-only";
import { sseStreamOpened } from "@/lib/metrics";
import type { Db } from "@/db/client";
import { RESYNC, watchForGaps, type LiveMessage } from "@/lib/live";
import { currentSeq, eventBySeq, eventsAfter, seqsAfter } from "./queries";
import { INCIDENT_CHANNEL } from "./record";
import type { TimelineEventView } from "./views";

/** lib/live's subscribe, or the same contract over another connection (tests, benchmarks). */
export type Listen = (channel: string, handler: (message: LiveMessage) => void) => Promise<() => void>;

export type StreamOptions = {
  db: Db;
  listen: Listen;
  /** Only this incident's events; all incidents (the list) when absent. */
  incidentId?: string;
  /** Resume after this event (Last-Event-ID); nothing older is sent. */
  afterSeq: number;
  signal?: AbortSignal;
  heartbeatMs?: number;
};

const encoder = new TextEncoder();
const REPLAY_PAGE = 500;
const PING = encoder.encode(`: ping\n\n`);

// lib/live hands the same parsed message to every stream in the process: encode each event once.
const frames = new WeakMap<object, Uint8Array>();
function frameOf(event: TimelineEventView): Uint8Array {
  let frame = frames.get(event);
  if (!frame) {
    frame = encoder.encode(`id: ${event.seq}\nevent: timeline\ndata: ${JSON.stringify(event)}\n\n`);
    frames.set(event, frame);
  }
  return frame;
}

/**
 * A server-sent event stream of timeline events. It listens first and replays from the database
 * second, holding live messages back until the replay is done; each event is sent once, in
 * sequence order, because anything at or below the last sent id is dropped.
 */
export function openEventStream(options: StreamOptions): ReadableStream<Uint8Array> {
  const { db, listen, incidentId } = options;
  let lastSent = options.afterSeq;
  let closed = false;
  let held: LiveMessage[] | null = [];
  let chain: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let ctrl: ReadableStreamDefaultController<Uint8Array>;
  let uncount: (() => void) | undefined;

  const write = (bytes: Uint8Array) => {
    if (closed) return;
    try {
      ctrl.enqueue(bytes);
    } catch {
      close();
    }
  };
  const send = (event: TimelineEventView) => {
    if (closed || event.seq <= lastSent) return;
    lastSent = event.seq;
    write(frameOf(event));
  };
  // Everything after the last sent id, from the database, in order.
  const replay = async () => {
    for (;;) {
      const page = await eventsAfter(db, lastSent, incidentId, REPLAY_PAGE);
      page.forEach(send);
      if (page.length < REPLAY_PAGE || closed) break;
    }
  };
  const deliver = async (message: LiveMessage) => {
    if (message.type === RESYNC) return replay();
    const seq = Number(message.id);
    if (closed || !(seq > lastSent)) return;
    const event = (message.event as TimelineEventView | undefined) ?? (await eventBySeq(db, seq));
    if (event) send(event);
  };
  const onMessage = (message: LiveMessage) => {
    if (message.type === RESYNC) {
      // Notifications may have been missed: read the database after the last sent id, in turn
      // with live messages (the chain), so order holds and nothing goes twice.
      if (held) held.push(message);
      else chain = chain.then(replay).catch(() => close());
      return;
    }
    if (message.type !== "timeline" || (incidentId && message.incidentId !== incidentId)) return;
    if (held) held.push(message);
    else chain = chain.then(() => deliver(message)).catch(() => close());
  };
  function close() {
    if (closed) return;
    closed = true;
    uncount?.();
    unsubscribe?.();
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
      uncount = sseStreamOpened("incidents");
      options.signal?.addEventListener("abort", close, { once: true });
      write(encoder.encode(`retry: 1000\n: connected\n\n`));
      try {
        unsubscribe = await listen(INCIDENT_CHANNEL, onMessage);
        await replay();
      } catch {
        close();
        return;
      }
      const pending = held ?? [];
      held = null;
      for (const message of pending) chain = chain.then(() => deliver(message)).catch(() => close());
      heartbeat = setInterval(() => write(PING), options.heartbeatMs ?? 15_000);
    },
    cancel() {
      close();
    },
  });
}

/** The process-wide check for timeline notifications that never arrived (lib/live's watchForGaps). */
export function watchTimelineGaps(db: Db): void {
  watchForGaps(INCIDENT_CHANNEL, (after) => seqsAfter(db, after), () => currentSeq(db));
}

/** Parses a Last-Event-ID value; anything else means "no resume point". */
export function parseLastEventId(value: string | null | undefined): number | null {
  if (!value || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}
