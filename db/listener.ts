import postgres from "postgres";

// LISTEN on a dedicated connection, kept alive by us rather than by postgres.js's own sql.listen:
// that one re-listens after a drop exactly once (a failure then silently drops the listener) and
// never says that it reconnected. Here a dropped connection is re-established with back-off
// until it works, and every channel's onReconnect runs after it listens again, because
// notifications sent while nobody listened are gone: the subscribers re-read from the database.

type Channel = { payloads: Set<(payload: string) => void>; reconnects: Set<() => void> };

export type PostgresListener = {
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export function createPostgresListener(url: string, options: { connectTimeoutS?: number } = {}): PostgresListener {
  const channels = new Map<string, Channel>();
  let closed = false;
  let relistening: Promise<void> | null = null;
  // While re-listening: notifications wait until every onReconnect ran, so a subscriber re-reads
  // the database before it sees anything newer (else it could skip what was lost in between).
  let held: Array<[string, string]> | null = null;
  const deliver = (channel: string, payload: string) => channels.get(channel)?.payloads.forEach((fn) => fn(payload));
  // onnotify is what sql.listen itself uses; the published types leave it out.
  const options_: postgres.Options<Record<string, never>> & { onnotify: (channel: string, payload: string) => void } = {
    max: 1,
    idle_timeout: 0,
    max_lifetime: 0,
    fetch_types: false,
    onnotice: () => {},
    connect_timeout: options.connectTimeoutS ?? 5,
    backoff: (retries: number) => Math.min(0.05 * retries, 1),
    connection: { application_name: "sitrep-listen" },
    onnotify: (channel, payload) => (held ? held.push([channel, payload]) : deliver(channel, payload)),
    onclose: () => {
      if (!closed && channels.size) void relisten();
    },
  };
  const sql = postgres(url, options_);
  const listenSql = (channel: string) => sql.unsafe(`listen "${channel.replace(/"/g, '""')}"`);

  function relisten(): Promise<void> {
    relistening ??= (async () => {
      held ??= [];
      for (let attempt = 0; !closed; attempt++) {
        try {
          for (const channel of channels.keys()) await listenSql(channel);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 2_000)));
        }
      }
      relistening = null;
      const waiting = held ?? [];
      held = null;
      if (closed) return;
      for (const channel of channels.values()) channel.reconnects.forEach((fn) => fn());
      for (const [channel, payload] of waiting) deliver(channel, payload);
    })();
    return relistening;
  }

  return {
    async listen(channel, onPayload, onReconnect) {
      let entry = channels.get(channel);
      if (!entry) {
        entry = { payloads: new Set(), reconnects: new Set() };
        channels.set(channel, entry);
        try {
          await listenSql(channel);
        } catch (error) {
          channels.delete(channel);
          throw error;
        }
      }
      const current = entry;
      current.payloads.add(onPayload);
      if (onReconnect) current.reconnects.add(onReconnect);
      return async () => {
        current.payloads.delete(onPayload);
        if (onReconnect) current.reconnects.delete(onReconnect);
        if (current.payloads.size || channels.get(channel) !== current) return;
        channels.delete(channel);
        await sql.unsafe(`unlisten "${channel.replace(/"/g, '""')}"`).catch(() => undefined);
      };
    },
    async close() {
      closed = true;
      await sql.end({ timeout: 2 });
    },
  };
}
