import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { stepExecutions } from "@/db/schema";
import { subscribe } from "@/lib/live";
import { sseStreamOpened } from "@/lib/metrics";
import { chunksAfter, EXECUTIONS_CHANNEL } from "./output";

const HEARTBEAT_MS = 15_000;
const FALLBACK_POLL_MS = 1_000;

/**
 * Server-sent events for one execution: `chunk` events (id = seq, so EventSource resumes after a
 * reconnect), then one `end` event with the final row. Wakes on NOTIFY, with a slow poll as a
 * safety net; every chunk is read from the database, so any app instance can serve any tab.
 */
export function openExecutionStream(db: Db, executionId: string, afterSeq: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = afterSeq;
  let closed = false;
  let busy = false;
  let again = false;
  const cleanups: Array<() => void> = [];
  return new ReadableStream({
    async start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        for (const fn of cleanups) fn();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const send = (event: string, data: unknown, id?: number) => {
        if (closed) return;
        controller.enqueue(encoder.encode(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const drain = async () => {
        for (const c of await chunksAfter(db, executionId, after)) {
          send("chunk", c, c.seq);
          after = c.seq;
        }
      };
      const pump = async () => {
        if (closed) return;
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        try {
          do {
            again = false;
            await drain();
            const [row] = await db.select().from(stepExecutions).where(eq(stepExecutions.id, executionId));
            if (!row) return close();
            if (row.state !== "running") {
              await drain(); // the runner stores all output before the final state
              const { runnerId: _r, ...view } = row;
              send("end", view);
              return close();
            }
          } while (again && !closed);
        } catch {
          close();
        } finally {
          busy = false;
        }
      };
      cleanups.push(sseStreamOpened("executions"));
      signal.addEventListener("abort", close);
      const unsubscribe = await subscribe(EXECUTIONS_CHANNEL, (message) => {
        if (message.id === executionId) void pump();
      });
      cleanups.push(unsubscribe);
      const poll = setInterval(() => void pump(), FALLBACK_POLL_MS);
      const heartbeat = setInterval(() => !closed && controller.enqueue(encoder.encode(": keep-alive\n\n")), HEARTBEAT_MS);
      cleanups.push(() => clearInterval(poll), () => clearInterval(heartbeat));
      send("ready", { executionId });
      await pump();
    },
    cancel() {
      closed = true;
      for (const fn of cleanups) fn();
    },
  });
}
