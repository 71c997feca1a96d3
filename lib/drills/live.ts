import "server-only";
import type { Db } from "@/db/client";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { subscribe } from "@/lib/live";
import { sseStreamOpened } from "@/lib/metrics";
import { drillRows, DRILLS_CHANNEL, findDrill, latestAttempts } from "./store";

// A drill page follows its drill over server-sent events: whenever anything about the drill
// changes (an item starts or ends, a skip, a retry, a pause, the sign-off) the stream sends the
// drill's new fingerprint, and the page re-renders from the server when it differs from what it
// shows. Woken by NOTIFY on the drills channel (any instance), with a one-second poll as a safety
// net; on every (re)connect the current fingerprint goes first, so a page that missed changes
// while disconnected catches up from the database before it goes live again.

const FALLBACK_POLL_MS = 1_000;
const HEARTBEAT_MS = 15_000;

/** Everything a drill page shows that can change, in a short string. */
export async function drillFingerprint(db: Db, drillId: string): Promise<string> {
  const drill = await findDrill(db, drillId);
  const rows = latestAttempts(await drillRows(db, drillId));
  return [drill.version, drill.state, drill.result ?? "", ...rows.map((r) => `${r.position}.${r.attempt}.${r.outcome}.${r.executionId ? "x" : ""}`)].join("|");
}

export async function openDrillStream(ctx: Ctx, drillId: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  requirePermission(ctx.actor, "drills.read");
  await findDrill(ctx.db, drillId); // 404 before the stream opens
  const encoder = new TextEncoder();
  let last = "";
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
          // closed by the client already
        }
      };
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
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
            const fingerprint = await drillFingerprint(ctx.db, drillId);
            if (fingerprint !== last) {
              last = fingerprint;
              send("change", { fingerprint });
            }
          } while (again && !closed);
        } catch {
          close();
        } finally {
          busy = false;
        }
      };
      cleanups.push(sseStreamOpened("drills"));
      signal.addEventListener("abort", close);
      cleanups.push(await subscribe(DRILLS_CHANNEL, (message) => message.id === drillId && void pump()));
      const poll = setInterval(() => void pump(), FALLBACK_POLL_MS);
      const heartbeat = setInterval(() => !closed && controller.enqueue(encoder.encode(": keep-alive\n\n")), HEARTBEAT_MS);
      cleanups.push(() => clearInterval(poll), () => clearInterval(heartbeat));
      await pump();
    },
    cancel() {
      closed = true;
      for (const fn of cleanups) fn();
    },
  });
}
