// Test-only helpers for the incidents area (imported by *.test.ts and the benchmark, never by app code).
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditEntries } from "@/db/schema/audit";
import { incidentChecklistItems, incidentChecklists } from "@/db/schema/incidents";
import type { Actor } from "@/lib/actor";
import { RESYNC, type LiveMessage } from "@/lib/live";
import { declareIncident } from "./declare";
import type { Listen } from "./live";
import type { DeclareInput } from "./schemas";

export async function makeIncident(db: Db, actor: Actor, input: Partial<DeclareInput> = {}) {
  return declareIncident({ actor, db }, { title: "Queue stalled in region one", severity: "SEV2", surfaces: ["worker loop"], ...input });
}

export async function auditFor(db: Db, action: string, targetId?: string) {
  return db
    .select()
    .from(auditEntries)
    .where(targetId ? and(eq(auditEntries.action, action), eq(auditEntries.targetId, targetId)) : eq(auditEntries.action, action));
}

/** Ticks every item of one of the incident's checklists directly (setup for close tests). */
export async function completeChecklist(db: Db, incidentId: string, kind: "post_incident" | "recovery_validation" | "first_five_minutes") {
  const [list] = await db
    .select()
    .from(incidentChecklists)
    .where(and(eq(incidentChecklists.incidentId, incidentId), eq(incidentChecklists.kind, kind)));
  await db.update(incidentChecklistItems).set({ done: true, doneAt: new Date() }).where(eq(incidentChecklistItems.checklistId, list.id));
}

/** lib/live's contract over a given database's LISTEN (lib/live itself uses the process database). */
export function listenOn(database: { listen: (channel: string, fn: (payload: string) => void, onReconnect?: () => void) => Promise<() => Promise<void>> }): Listen {
  return async (channel, handler) => {
    const stop = await database.listen(
      channel,
      (payload) => handler(JSON.parse(payload) as LiveMessage),
      () => handler({ type: RESYNC, reason: "listener reconnected" }),
    );
    return () => void stop().catch(() => {});
  };
}

export type SseFrame = { id?: string; event?: string; data?: string };

/** Reads SSE frames from a byte stream as they arrive. */
export function sseReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const frames: SseFrame[] = [];
  let done = false;
  const pump = (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const frame: SseFrame = {};
          for (const line of raw.split("\n")) {
            if (line.startsWith(":")) continue;
            const i = line.indexOf(":");
            const key = i < 0 ? line : line.slice(0, i);
            const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
            if (key === "id" || key === "event") frame[key] = value;
            if (key === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
          }
          if (frame.data !== undefined) frames.push(frame);
        }
      }
    } catch {
      // Cancelled.
    } finally {
      done = true;
    }
  })();
  return {
    frames,
    get done() {
      return done;
    },
    async waitFor(count: number, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (frames.length < count && Date.now() < until && !done) await new Promise((r) => setTimeout(r, 10));
      return frames;
    },
    async cancel() {
      await reader.cancel().catch(() => {});
      await pump;
    },
  };
}
