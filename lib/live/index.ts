import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getDatabase } from "@/db/client";

// Live updates fan out through PostgreSQL LISTEN/NOTIFY, so several app instances (or one with
// PGlite) see the same changes. Payloads stay small: listeners re-read what they need.

export type LiveMessage = { type: string; id?: string; [key: string]: unknown };

const CHANNEL_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/** Sends after commit when called inside a transaction (PostgreSQL delivers NOTIFY on commit). */
export async function publish(tx: Db, channel: string, message: LiveMessage): Promise<void> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`Invalid live channel name: ${channel}`);
  const payload = JSON.stringify(message);
  if (payload.length > 7900) throw new Error(`Live message too large for NOTIFY (${payload.length} bytes)`);
  await tx.execute(sql`select pg_notify(${channel}, ${payload})`);
}

/**
 * The SELECT that sends several messages on one channel (each delivered on its own, in order), for
 * a writer that folds it into a statement of its own (one round trip less; see writeAuditEntries).
 */
export function notifications(channel: string, messages: LiveMessage[]): SQL {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`Invalid live channel name: ${channel}`);
  const payloads = messages.map((m) => JSON.stringify(m));
  const tooLarge = payloads.find((p) => p.length > 7900);
  if (tooLarge) throw new Error(`Live message too large for NOTIFY (${tooLarge.length} bytes)`);
  return sql`select pg_notify(${channel}, p) from jsonb_array_elements_text(${JSON.stringify(payloads)}::jsonb) with ordinality as m(p, n) order by n`;
}

/**
 * Sent to every handler of a channel, in this process, when notifications may have been missed:
 * the listening connection was lost and is back, or the gap check below found a committed id
 * that never arrived. Handlers re-read what they show from the database.
 */
export const RESYNC = "live.resync";

type Handler = (message: LiveMessage) => void;
type ChannelState = {
  handlers: Set<Handler>;
  ready: Promise<() => Promise<void>>;
  /** Sequenced channels: ids notified and not yet judged by the periodic check. */
  notified: Set<number>;
  /** Sequenced channels: the highest id handed to the handlers, and the order they are handed in. */
  lastId: number | null;
  dispatch: Promise<void>;
};

const globalForLive = globalThis as unknown as { __sitrepLive?: Map<string, ChannelState> };
const channels = (globalForLive.__sitrepLive ??= new Map());

/** Calls `handler` for every message on `channel` in this process; returns an unsubscribe. */
export async function subscribe(channel: string, handler: Handler): Promise<() => void> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`Invalid live channel name: ${channel}`);
  let state = channels.get(channel);
  if (!state) {
    const handlers = new Set<Handler>();
    const created: ChannelState = { handlers, ready: Promise.resolve(async () => {}), notified: new Set(), lastId: null, dispatch: Promise.resolve() };
    created.ready = getDatabase().then(async (database) => {
      const stop = await database.listen(
        channel,
        (payload) => {
          let message: LiveMessage;
          try {
            message = JSON.parse(payload) as LiveMessage;
          } catch {
            return;
          }
          const id = Number(message.id);
          const sequence = gapChecks.get(channel);
          if (!sequence || !Number.isSafeInteger(id)) {
            for (const h of handlers) h(message);
            return;
          }
          created.notified.add(id);
          created.dispatch = created.dispatch.then(() => dispatchInOrder(channel, created, sequence, id, message));
        },
        () => resync(channel, "listener reconnected"),
      );
      // Sequenced: holes are judged from here on; what committed before, streams replay themselves.
      const sequence = gapChecks.get(channel);
      if (sequence && created.lastId === null) {
        const latest = await sequence.latestId().catch(() => null);
        if (created.lastId === null) created.lastId = latest;
      }
      return stop;
    });
    state = created;
    const ready = created.ready;
    channels.set(channel, state);
    ready.catch(() => channels.delete(channel));
  }
  state.handlers.add(handler);
  await state.ready;
  const current = state;
  return () => {
    current.handlers.delete(handler);
  };
}

/** Tells every handler of `channel` in this process to re-read from the database. */
export function resync(channel: string, reason: string): void {
  const state = channels.get(channel);
  if (!state) return;
  const message: LiveMessage = { type: RESYNC, reason };
  for (const h of state.handlers) h(message);
}

type Sequence = { committedAfter: (id: number) => Promise<number[]>; latestId: () => Promise<number> };
const globalForGaps = globalThis as unknown as { __sitrepGapChecks?: Map<string, Sequence> };
const gapChecks = (globalForGaps.__sitrepGapChecks ??= new Map());

/**
 * On a sequenced channel ids are handed out in commit order and PostgreSQL delivers notifications
 * in commit order, so when id N arrives every smaller id is committed or never will be. A hole
 * before N (rare: a rolled-back write also leaves one) is looked up before N is handed on; if
 * the database has an id in it, its notification was lost, and every stream re-reads (resync)
 * before it sees N — it could not take an older id after sending a newer one.
 */
async function dispatchInOrder(channel: string, state: ChannelState, sequence: Sequence, id: number, message: LiveMessage): Promise<void> {
  let lost = false;
  if (state.lastId !== null && id > state.lastId + 1) {
    try {
      lost = (await sequence.committedAfter(state.lastId)).some((committed) => committed < id && !state.notified.has(committed));
    } catch {
      lost = true; // cannot tell: re-read to be safe
    }
  }
  if (state.lastId === null || id > state.lastId) state.lastId = id;
  if (lost) resync(channel, `an id before ${id} was committed but not notified`);
  for (const h of state.handlers) h(message);
}

/**
 * A periodic, cheap check for notifications that never arrived on a channel whose message ids are
 * increasing numbers (timeline seq): `committedAfter(id)` lists the ids committed after `id` (an
 * index range scan over what is new). An id listed at one check that has still not been notified
 * by the next is missing, and the channel is resynced. One check per channel per process, only
 * while someone listens.
 */
export function watchForGaps(channel: string, committedAfter: (id: number) => Promise<number[]>, latestId: () => Promise<number>, intervalMs = 2_000): void {
  if (gapChecks.has(channel)) return;
  gapChecks.set(channel, { committedAfter, latestId });
  let cursor: number | null = null;
  let pending: number[] = [];
  const timer = setInterval(async () => {
    const state = channels.get(channel);
    if (!state?.handlers.size) {
      cursor = null;
      pending = [];
      return;
    }
    try {
      const missing = pending.filter((id) => !state.notified.has(id));
      for (const id of pending) state.notified.delete(id);
      pending = [];
      if (missing.length) resync(channel, `${missing.length} committed id(s) never notified, first ${missing[0]}`);
      if (cursor === null) {
        // Judging starts after what has been handed on (listening began there: what came before
        // is each stream's own replay; holes after it are found on arrival).
        const from = state.lastId ?? (await latestId());
        cursor = from;
        if (state.lastId === null) state.lastId = from;
        for (const id of state.notified) if (id <= from) state.notified.delete(id);
        return;
      }
      pending = await committedAfter(cursor);
      if (pending.length) cursor = pending[pending.length - 1];
    } catch {
      // The database is away; the listener's reconnect will resync.
      cursor = null;
      pending = [];
    }
  }, intervalMs);
  timer.unref?.();
}
