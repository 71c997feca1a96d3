// Incident timeline fan-out and write throughput, through real HTTP and real SSE connections.
//
// A Node HTTP server in this process serves the same lib code as the console's route handlers:
//   GET  /live?incident=…  → session lookup + permission → openEventStream (LISTEN/NOTIFY, replay)
//   POST /notes            → session lookup + addNote (permission, zod, audit chain, timeline, NOTIFY)
// "Session lookup" reads the user row per request as getActor() does after Auth.js has decoded
// its cookie; the JWT decode itself is the one part of the console's path not exercised here.
// Numbers: time from starting a timeline append to its arrival in each of 200 open streams
// (p50/p99 over every stream and append), and appends per second with the 200 streams attached.
// Driver: SITREP_TEST_DRIVER=pglite (default) or postgres, on a fresh database.
// Notes are rate-limited per author and incident (lib/incidents/note-limits.ts), so the streams
// follow every incident (the list view) and the throughput writers each write as their own author,
// round-robin over THROUGHPUT_INCIDENTS incidents.
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import { createTestDb, makeUser } from "@/lib/testing";
import { can } from "@/lib/auth/permissions";
import { findUserById } from "@/lib/auth/users";
import { addNote, ensureIncidentDefaults, openEventStream, parseLastEventId, currentSeq, type Listen } from "@/lib/incidents";
import { makeIncident } from "@/lib/incidents/test-fixtures";
import { errorView } from "@/lib/http/to-message";
import type { LiveMessage } from "@/lib/live";
import type { Actor } from "@/lib/actor";

const STREAMS = 200;
const LATENCY_APPENDS = 20;
const THROUGHPUT_SECONDS = 3;
const THROUGHPUT_CONCURRENCY = 8;
const THROUGHPUT_INCIDENTS = 40;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const database = await createTestDb();
  const db = database.db;
  await ensureIncidentDefaults(db);
  const { user: commanderUser, actor: commander } = await makeUser(db, { role: "commander" });
  const { user: responderUser } = await makeUser(db, { role: "responder" });
  const incident = await makeIncident(db, commander, { title: "Benchmark incident", severity: "SEV1" });
  const writers = await Promise.all(Array.from({ length: THROUGHPUT_CONCURRENCY }, () => makeUser(db, { role: "commander" })));
  const busy = await Promise.all(Array.from({ length: THROUGHPUT_INCIDENTS }, (_, i) => makeIncident(db, commander, { title: `Busy incident ${i}`, severity: "SEV2" })));

  // One LISTEN for the process, fanned out to every stream: the contract of lib/live's subscribe.
  const handlers = new Set<(m: LiveMessage) => void>();
  const stop = await database.listen("incident_events", (payload) => {
    const message = JSON.parse(payload) as LiveMessage;
    for (const h of handlers) h(message);
  });
  const listen: Listen = async (_channel, handler) => {
    handlers.add(handler);
    return () => void handlers.delete(handler);
  };

  const actorFor = async (req: http.IncomingMessage): Promise<Actor | null> => {
    const id = String(req.headers["x-user-id"] ?? "");
    const user = /^[0-9a-f-]{36}$/.test(id) ? await findUserById(db, id) : undefined;
    if (!user || user.disabledAt) return null;
    return { userId: user.id, email: user.email, name: user.name, role: user.role, requestId: crypto.randomUUID() };
  };

  const server = http.createServer(async (req, res) => {
    try {
      const actor = await actorFor(req);
      if (!actor) return void res.writeHead(401).end();
      const url = new URL(req.url ?? "/", "http://bench");
      if (req.method === "GET" && url.pathname === "/live") {
        if (!can(actor.role, "incidents.read")) return void res.writeHead(403).end();
        const abort = new AbortController();
        req.on("close", () => abort.abort());
        const after = parseLastEventId(req.headers["last-event-id"] as string | undefined) ?? (await currentSeq(db));
        const stream = openEventStream({ db, listen, incidentId: url.searchParams.get("incident") ?? undefined, afterSeq: after, signal: abort.signal });
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform" });
        const reader = stream.getReader();
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          res.write(chunk.value);
        }
        return void res.end();
      }
      if (req.method === "POST" && url.pathname === "/notes") {
        let raw = "";
        for await (const part of req) raw += part;
        const note = await addNote({ actor, db }, JSON.parse(raw));
        return void res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ seq: note.seq }));
      }
      res.writeHead(404).end();
    } catch (error) {
      const view = errorView(error, "bench");
      if (!res.headersSent) res.writeHead(view.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: view.message }));
    }
  });
  server.maxConnections = STREAMS + 100;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // 200 readers, each recording when every event id arrives.
  const arrivals: Map<number, number>[] = [];
  const aborts: AbortController[] = [];
  const opened: Promise<void>[] = [];
  for (let i = 0; i < STREAMS; i++) {
    const seen = new Map<number, number>();
    arrivals.push(seen);
    const abort = new AbortController();
    aborts.push(abort);
    opened.push(
      (async () => {
        const response = await fetch(`${base}/live`, { headers: { "x-user-id": responderUser.id }, signal: abort.signal });
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let text = "";
        let connected!: () => void;
        const ready = new Promise<void>((r) => (connected = r));
        void (async () => {
          try {
            for (;;) {
              const chunk = await reader.read();
              if (chunk.done) break;
              text += decoder.decode(chunk.value, { stream: true });
              if (text.includes(": connected")) connected();
              for (let cut = text.indexOf("\n\n"); cut >= 0; cut = text.indexOf("\n\n")) {
                const id = /^id: (\d+)$/m.exec(text.slice(0, cut))?.[1];
                if (id) seen.set(Number(id), performance.now());
                text = text.slice(cut + 2);
              }
            }
          } catch {
            // aborted at the end
          }
        })();
        await ready;
      })(),
    );
  }
  await Promise.all(opened);
  // Let every stream finish its replay and be listening.
  await new Promise((r) => setTimeout(r, 500));

  const post = async (body: string, as = commanderUser.id, incidentId = incident.id) => {
    const response = await fetch(`${base}/notes`, {
      method: "POST",
      headers: { "x-user-id": as, "content-type": "application/json" },
      body: JSON.stringify({ incidentId, body }),
    });
    if (response.status !== 201) throw new Error(`append failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { seq: number }).seq;
  };

  // Fan-out latency: sequential appends, each timed until all 200 streams have it.
  const latencies: number[] = [];
  const writes: number[] = [];
  for (let n = 0; n < LATENCY_APPENDS; n++) {
    const t0 = performance.now();
    const seq = await post(`latency probe ${n}`);
    writes.push(performance.now() - t0);
    const until = performance.now() + 5000;
    while (arrivals.some((a) => !a.has(seq)) && performance.now() < until) await new Promise((r) => setTimeout(r, 1));
    const missing = arrivals.filter((a) => !a.has(seq)).length;
    if (missing) throw new Error(`${missing} streams never received event ${seq}`);
    for (const a of arrivals) latencies.push(a.get(seq)! - t0);
  }
  latencies.sort((a, b) => a - b);
  writes.sort((a, b) => a - b);

  // Throughput: concurrent appends for a fixed time, with the 200 streams attached.
  let appended = 0;
  const started = performance.now();
  const deadline = started + THROUGHPUT_SECONDS * 1000;
  let lastSeq = 0;
  await Promise.all(
    Array.from({ length: THROUGHPUT_CONCURRENCY }, async (_, w) => {
      for (let n = 0; performance.now() < deadline; n++) {
        lastSeq = Math.max(lastSeq, await post(`throughput ${w}-${appended}`, writers[w].user.id, busy[n % THROUGHPUT_INCIDENTS].id));
        appended++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  // Every stream must end up with every event (no gaps under load).
  const until = performance.now() + 10_000;
  while (arrivals.some((a) => !a.has(lastSeq)) && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
  const complete = arrivals.filter((a) => a.has(lastSeq)).length;

  console.log(`driver: ${database.driver}`);
  console.log(`open event streams: ${STREAMS}`);
  console.log(
    `timeline change → arrival in all ${STREAMS} streams (${LATENCY_APPENDS} appends, ${latencies.length} deliveries): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
  console.log(`of which the append request itself (HTTP round trip, committed write): p50 ${percentile(writes, 50).toFixed(1)} ms, p99 ${percentile(writes, 99).toFixed(1)} ms`);
  console.log(`load average while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} CPUs`);
  console.log(
    `timeline appends through HTTP + session + permission + zod + audit chain + NOTIFY: ${(appended / elapsed).toFixed(0)} appends/s (${appended} in ${elapsed.toFixed(1)} s, ${THROUGHPUT_CONCURRENCY} concurrent writers, ${STREAMS} streams attached)`,
  );
  console.log(`streams that received the last throughput event: ${complete}/${STREAMS}`);

  for (const a of aborts) a.abort();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await stop().catch(() => {});
  await database.cleanup();
  if (complete !== STREAMS) process.exit(1);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
