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

type Handler = (message: LiveMessage) => void;
type ChannelState = { handlers: Set<Handler>; ready: Promise<() => Promise<void>> };

const globalForLive = globalThis as unknown as { __sitrepLive?: Map<string, ChannelState> };
const channels = (globalForLive.__sitrepLive ??= new Map());

/** Calls `handler` for every message on `channel` in this process; returns an unsubscribe. */
export async function subscribe(channel: string, handler: Handler): Promise<() => void> {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`Invalid live channel name: ${channel}`);
  let state = channels.get(channel);
  if (!state) {
    const handlers = new Set<Handler>();
    const ready = getDatabase().then((database) =>
      database.listen(channel, (payload) => {
        let message: LiveMessage;
        try {
          message = JSON.parse(payload) as LiveMessage;
        } catch {
          return;
        }
        for (const h of handlers) h(message);
      }),
    );
    state = { handlers, ready };
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
