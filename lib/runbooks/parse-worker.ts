import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { log } from "@/lib/log";
import { RunbookParseError, type RunbookParseErrorCode } from "@/lib/runbooks/parse";
import type { PreparedRevision } from "@/lib/runbooks/parse/prepared";
import type { ParseReply } from "@/lib/runbooks/parse/worker-main";
import { bundledWorkerFile } from "./parse-worker-bundle";

// Runbook parsing runs off the request event loop, in worker threads (two at most), with a time
// budget per file: a file that takes longer is refused and the worker is replaced, so no text can
// hold the console. Requests queue; the caller may ask for several files ahead (an import writes
// one file while the worker reads the next).

/**
 * Longest a single file may take to parse (markdown-it reads a crafted 2 MB file in about 1 s): the
 * worker's CPU time on Linux, and never more than MAX_WALL_BUDGETS times this on the clock.
 */
export const PARSE_BUDGET_MS = 5_000;
// Built at run time so the bundler does not follow the worker into tsx and esbuild: the worker is
// loaded by path, outside the bundle, in production as in tests.
const WORKER_SEGMENTS = "lib runbooks parse worker.mjs".split(" ");

type Pending = { id: number; markdown: string; fileName?: string; budgetMs: number; resolve: (r: PreparedRevision) => void; reject: (e: Error) => void };

/** The worker entry file, found from the working folder or the running script (CLI, bench, tests). */
function workerFile(): string {
  // turbopackIgnore: these paths are only known at run time; the bundler must not trace the project from them.
  const starts = [process.cwd(), process.argv[1] ? path.dirname(path.resolve(/* turbopackIgnore: true */ process.argv[1])) : null].filter((s): s is string => !!s);
  for (const start of starts) {
    let dir = start;
    for (let up = 0; up < 6; up += 1) {
      const candidate = path.join(/* turbopackIgnore: true */ dir, ...WORKER_SEGMENTS);
      if (fs.existsSync(/* turbopackIgnore: true */ candidate)) return candidate;
      dir = path.dirname(/* turbopackIgnore: true */ dir);
    }
  }
  throw new Error(`The runbook parse worker (${WORKER_SEGMENTS.join("/")}) was not found from ${starts.join(" or ")}.`);
}

/** One worker thread and the file it is reading. */
type Running = Pending & { timer: NodeJS.Timeout; startedAt: number; cpuAtStart: number | null };
/** One worker thread and the file it is reading. `tid`: its Linux thread id, for its CPU time. */
type Slot = { worker: Worker | null; ready: Promise<void> | null; current: Running | null; tid: number | null };

/** A worker still short of its budget in CPU time gets more wall time, up to this many budgets. */
const MAX_WALL_BUDGETS = 6;

/** CPU milliseconds a thread of this process has used (Linux), or null. */
function threadCpuMs(tid: number | null): number | null {
  if (!tid) return null;
  try {
    const fields = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/**
 * Worker threads reading the queued files, each file with its own budget. Two on a machine with
 * at least two cores: the database writes of an import (on the request event loop, or in the
 * PostgreSQL server) take less time than the parsing, so a second reader shortens the import.
 */
class ParsePool {
  private readonly slots: Slot[];
  private queue: Pending[] = [];
  private nextId = 1;
  /** Files parsed and the workers' time spent on them, for benchmarks and logs. */
  readonly stats = { parses: 0, parseMs: 0 };

  constructor(size: number) {
    this.slots = Array.from({ length: size }, () => ({ worker: null, ready: null, current: null, tid: null }));
  }

  parse(markdown: string, fileName: string | undefined, budgetMs: number): Promise<PreparedRevision> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, markdown, fileName, budgetMs, resolve, reject });
      this.pumpAll();
    });
  }

  private pumpAll(): void {
    // A warm worker first: starting another one costs more than waiting for the first to finish a small file.
    const idle = this.slots.filter((s) => !s.current).sort((a, b) => Number(!!b.worker) - Number(!!a.worker));
    for (const slot of idle) {
      if (!this.queue.length) return;
      if (!slot.worker && this.slots.some((s) => s.worker) && this.queue.length < 2) return;
      void this.pump(slot);
    }
  }

  private entry: Promise<string> | null = null;

  /** The bundled worker when it can be built, else the TypeScript entry run through tsx. */
  private entryFile(): Promise<string> {
    this.entry ??= bundledWorkerFile(workerFile()).then((bundle) => bundle ?? workerFile());
    return this.entry;
  }

  private start(slot: Slot, file: string): Promise<void> {
    // Reflect.construct, not `new Worker(…)`: the bundler would try to bundle the worker's entry.
    // A small young generation: parsing makes short-lived garbage, and each worker's default nursery
    // held ~30 MB of resident memory for nothing (no slower: measured on the bench corpus).
    const worker: Worker = Reflect.construct(Worker, [file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } }]);
    slot.worker = worker;
    // The worker must not keep a CLI or test process alive once nothing is queued.
    worker.unref();
    slot.ready = new Promise((resolve, reject) => {
      const onFirst = (message: unknown) => {
        if ((message as { ready?: boolean }).ready) {
          slot.tid = (message as { tid?: number | null }).tid ?? null;
          worker.off("message", onFirst);
          resolve();
        }
      };
      worker.on("message", onFirst);
      worker.once("error", reject);
    });
    worker.on("message", (message: ParseReply | { ready: true; tid: number | null }) => {
      if ("ready" in message) return;
      this.finish(slot, message);
    });
    worker.on("error", (error) => this.fail(slot, error));
    worker.on("exit", (code) => {
      if (slot.worker === worker) {
        slot.worker = null;
        slot.ready = null;
        slot.tid = null;
        if (slot.current) this.fail(slot, new Error(`the parse worker stopped (exit ${code})`));
      }
    });
    return slot.ready;
  }

  private async pump(slot: Slot): Promise<void> {
    if (slot.current || this.queue.length === 0) return;
    const next = this.queue.shift()!;
    slot.current = { ...next, timer: setTimeout(() => this.overBudget(slot), next.budgetMs + 60_000), startedAt: 0, cpuAtStart: null };
    try {
      if (!slot.worker) await this.start(slot, await this.entryFile());
      else await slot.ready;
    } catch (error) {
      this.fail(slot, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (slot.current?.id !== next.id) return;
    slot.worker!.ref();
    // The budget counts from the moment the worker has the file, not from when it was queued.
    clearTimeout(slot.current.timer);
    slot.current.timer = setTimeout(() => this.overBudget(slot), next.budgetMs);
    slot.current.startedAt = performance.now();
    slot.current.cpuAtStart = threadCpuMs(slot.tid);
    slot.worker!.postMessage({ id: next.id, markdown: next.markdown, fileName: next.fileName });
  }

  private finish(slot: Slot, reply: ParseReply): void {
    const current = slot.current;
    if (!current || current.id !== reply.id) return;
    clearTimeout(current.timer);
    slot.current = null;
    slot.worker?.unref();
    if (reply.ok) {
      this.stats.parses += 1;
      this.stats.parseMs += reply.ms;
      current.resolve(reply.result);
    } else {
      current.reject(new RunbookParseError(stripName(reply.message, current.fileName), (reply.code as RunbookParseErrorCode) ?? "binary", current.fileName));
    }
    this.pumpAll();
  }

  private fail(slot: Slot, error: Error): void {
    const current = slot.current;
    if (!current) return;
    clearTimeout(current.timer);
    slot.current = null;
    current.reject(error);
    this.pumpAll();
  }

  private overBudget(slot: Slot): void {
    const current = slot.current;
    if (!current) return;
    // The budget is the worker's CPU time where it can be read: on a machine busy with other work a
    // large honest file may take longer on the clock than the budget without having used it.
    const cpuNow = current.cpuAtStart === null ? null : threadCpuMs(slot.tid);
    const used = cpuNow === null || current.cpuAtStart === null ? null : cpuNow - current.cpuAtStart;
    const wall = performance.now() - current.startedAt;
    if (used !== null && used < current.budgetMs && wall < current.budgetMs * MAX_WALL_BUDGETS) {
      current.timer = setTimeout(() => this.overBudget(slot), Math.max(50, current.budgetMs - used));
      return;
    }
    log.warn("runbook_parse_over_budget", { file: current.fileName ?? null, budgetMs: current.budgetMs, cpuMs: used, wallMs: Math.round(wall), bytes: current.markdown.length });
    const worker = slot.worker;
    slot.worker = null;
    slot.ready = null;
    slot.tid = null;
    slot.current = null;
    clearTimeout(current.timer);
    current.reject(
      new RunbookParseError(`reading this file took longer than ${current.budgetMs / 1000} s, so it was refused; split it into smaller runbooks`, "too-slow", current.fileName),
    );
    void worker?.terminate();
    this.pumpAll();
  }
}

function stripName(message: string, fileName: string | undefined): string {
  return fileName && message.startsWith(`${fileName}: `) ? message.slice(fileName.length + 2) : message;
}

const globalForPool = globalThis as unknown as { __sitrepParsePool?: ParsePool };

/**
 * Parses a runbook in the worker thread: the structure and the rendered document, serialised for
 * storing, with the fields the write path reads (`head`). Rejects with a
 * RunbookParseError when the file cannot be a runbook or takes longer than the budget.
 */
export function parseWorkerStats(): { parses: number; parseMs: number } {
  return { ...(globalForPool.__sitrepParsePool?.stats ?? { parses: 0, parseMs: 0 }) };
}

export function parseInWorker(markdown: string, options: { fileName?: string; budgetMs?: number } = {}): Promise<PreparedRevision> {
  globalForPool.__sitrepParsePool ??= new ParsePool(Math.max(1, Math.min(2, os.availableParallelism())));
  return globalForPool.__sitrepParsePool.parse(markdown, options.fileName, options.budgetMs ?? PARSE_BUDGET_MS);
}
