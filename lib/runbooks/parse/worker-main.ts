import fs from "node:fs";
import os from "node:os";
import { parentPort } from "node:worker_threads";
import { RunbookParseError } from "./errors";
import { analyzeRunbook } from "./parse";
import { type PreparedBody, type PreparedHead, prepareBody, prepareHead } from "./prepared";

// The parse worker's loop: one request at a time, answered with the structure and the rendered
// document ready to store, or with the reason the file cannot be a runbook.

export type ParseRequest = { id: number; markdown: string; fileName?: string };
// A file that reads is answered twice: its head as soon as it is read (a write can start with it),
// then the serialised body.
export type ParseReply =
  | { id: number; ok: true; stage: "head"; result: PreparedHead }
  | { id: number; ok: true; stage: "body"; result: PreparedBody; ms: number }
  | { id: number; ok: false; message: string; code?: string };

// On Linux a priority set with pid 0 applies to the calling thread only: parsing yields the CPU to
// the request event loop (health checks, pages) whenever both want it. Nice 5, not 19: at 19 a
// machine busy with anything else starves the import (4x slower on a shared 2-core machine).
try {
  os.setPriority(5);
} catch {
  // Not permitted here (some containers): parsing still runs off the event loop.
}

parentPort?.on("message", (request: ParseRequest) => {
  const started = performance.now();
  let reply: ParseReply;
  try {
    const analyzed = analyzeRunbook(request.markdown, { fileName: request.fileName, document: true });
    parentPort?.postMessage({ id: request.id, ok: true, stage: "head", result: prepareHead(analyzed) } satisfies ParseReply);
    // Serialised here, not on the event loop that writes it: see ./prepared.
    reply = { id: request.id, ok: true, stage: "body", result: prepareBody(analyzed), ms: performance.now() - started };
  } catch (error) {
    reply =
      error instanceof RunbookParseError
        ? { id: request.id, ok: false, message: error.message, code: error.code }
        : { id: request.id, ok: false, message: error instanceof Error ? error.message.slice(0, 300) : String(error) };
  }
  parentPort?.postMessage(reply);
});

/** This thread's id on Linux, so the pool can read the CPU time it spends on a file. */
function threadId(): number | null {
  try {
    return Number(fs.readlinkSync("/proc/thread-self").split("/").pop()) || null;
  } catch {
    return null;
  }
}

parentPort?.postMessage({ ready: true, tid: threadId() });
