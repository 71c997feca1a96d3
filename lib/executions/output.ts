import "server-only";
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { executionChunks } from "@/db/schema";
import { publish } from "@/lib/live";
import { log } from "@/lib/log";

export const EXECUTIONS_CHANNEL = "executions";
const MAX_CHUNK = 16_000;

export type Stream = "stdout" | "stderr" | "info";

/**
 * Writes output as it arrives, in order, so any tab (or another app instance) can follow a running
 * step. One writer per execution: the process that runs it.
 */
export class OutputWriter {
  private seq = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    readonly executionId: string,
  ) {}

  write(stream: Stream, text: string): Promise<void> {
    if (!text) return this.queue;
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += MAX_CHUNK) pieces.push(text.slice(i, i + MAX_CHUNK));
    this.queue = this.queue.then(async () => {
      for (const piece of pieces) {
        const seq = ++this.seq;
        await this.db.insert(executionChunks).values({ executionId: this.executionId, seq, stream, text: piece });
        await publish(this.db, EXECUTIONS_CHANNEL, { type: "execution.chunk", id: this.executionId, seq });
      }
    }).catch((error) => log.warn("executions.output_write_failed", { executionId: this.executionId, error: String(error) }));
    return this.queue;
  }

  /** Resolves once everything written so far is stored. */
  flush(): Promise<void> {
    return this.queue;
  }
}

export async function chunksAfter(db: Db, executionId: string, afterSeq: number, limit = 500) {
  return db
    .select({ seq: executionChunks.seq, stream: executionChunks.stream, text: executionChunks.text, at: executionChunks.at })
    .from(executionChunks)
    .where(and(eq(executionChunks.executionId, executionId), gt(executionChunks.seq, afterSeq)))
    .orderBy(asc(executionChunks.seq))
    .limit(limit);
}
