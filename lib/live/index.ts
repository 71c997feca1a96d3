import "server-only";
import { sql } from "drizzle-orm";
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

/** Several messages on one channel in one statement (each delivered on its own, in order). */
export async function publishMany(tx: Db, channel: string, messages: LiveMessage[]): Promise<void> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`Invalid live channel name: ${channel}`);
  if (messages.length === 0) return;
  const payloads = messages.map((m) => JSON.stringify(m));
  const tooLarge = payloads.find((p) => p.length > 7900);
  if (tooLarge) throw new Error(`Live message too large for NOTIFY (${tooLarge.length} bytes)`);
  await tx.execute(sql`select pg_notify(${channel}, p) from jsonb_array_elements_text(${JSON.stringify(payloads)}::jsonb) with ordinality as m(p, n) order by n`);
}

/**
 * Sent to every handler of a channel, in this process, when notifications may have been missed:
 * the listening connection was lost and is back, or the gap check below found a committed id
 * that never arrived. Handlers re-read what they show from the database.
 */
export const RESYNC = "live.resync";

type Handler = (message: LiveMessage) => void;
type ChannelState = { handlers: Set<Handler>; ready: Promise<() => Promise<void>>; highestId: number };

const globalForLive = globalThis as unknown as { __sitrepLive?: Map<string, ChannelState> };
const channels = (globalForLive.__sitrepLive ??= new Map());

/** Calls `handler` for every message on `channel` in this process; returns an unsubscribe. */
export async function subscribe(channel: string, handler: Handler): Promise<() => void> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`Invalid live channel name: ${channel}`);
  let state = channels.get(channel);
  if (!state) {
    const handlers = new Set<Handler>();
    const created: ChannelState = { handlers, ready: Promise.resolve(async () => {}), highestId: 0 };
    created.ready = getDatabase().then((database) =>
      database.listen(
        channel,
        (payload) => {
          let message: LiveMessage;
          try {
            message = JSON.parse(payload) as LiveMessage;
          } catch {
            return;
          }
          const id = Number(message.id);
          if (id > created.highestId) created.highestId = id;
          for (const h of handlers) h(message);
        },
        () => resync(channel, "listener reconnected"),
      ),
    );
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

const globalForGaps = globalThis as unknown as { __sitrepGapChecks?: Set<string> };
const gapChecks = (globalForGaps.__sitrepGapChecks ??= new Set());

/**
 * A periodic, cheap check for notifications that never arrived on a channel whose message ids
 * are increasing numbers in commit order (timeline seq): `latestId` reads the newest committed
 * id (one index lookup). An id committed at one check that has still not arrived by the next is
 * missing, and the channel is resynced. One check per channel per process, only while someone
 * listens.
 */
export function watchForGaps(channel: string, latestId: () => Promise<number>, intervalMs = 2_000): void {
  if (gapChecks.has(channel)) return;
  gapChecks.add(channel);
  let committedAtLastCheck: number | null = null;
  const timer = setInterval(async () => {
    const state = channels.get(channel);
    if (!state?.handlers.size) {
      committedAtLastCheck = null;
      return;
    }
    try {
      if (committedAtLastCheck !== null && committedAtLastCheck > state.highestId) {
        state.highestId = committedAtLastCheck;
        resync(channel, `id ${committedAtLastCheck} was committed but not notified`);
      }
      committedAtLastCheck = await latestId();
      // Nothing new since listening began: the watermark starts here.
      if (state.highestId === 0) state.highestId = committedAtLastCheck;
    } catch {
      // The database is away; the listener's reconnect will resync.
      committedAtLastCheck = null;
    }
  }, intervalMs);
  timer.unref?.();
}
