import "server-only";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { log } from "@/lib/log";
import { RunbookParseError, type RunbookParseErrorCode } from "@/lib/runbooks/parse";
import type { PreparedBody, PreparedHead, PreparedRevision, StagedRevision } from "@/lib/runbooks/parse/prepared";
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

type Pending = {
  id: number;
  markdown: string;
  fileName?: string;
  budgetMs: number;
  resolve: (r: PreparedRevision) => void;
  reject: (e: Error) => void;
  /** Called when the head arrives, before the body (see parse/worker-main.ts). */
  onHead?: (head: PreparedHead) => void;
  head?: PreparedHead;
};

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
/**
 * One worker thread and the file it is reading. `tid`: its Linux thread id, for its CPU time. A
 * standby slot reads only while every other worker has been on one file for a while (see
 * STANDBY_AFTER_MS), and its worker stops when it has had nothing to read for a while.
 */
type Slot = { worker: Worker | null; ready: Promise<void> | null; current: Running | null; tid: number | null; standby: boolean; idleTimer: NodeJS.Timeout | null };

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
 * A standby worker starts reading when the others have each been on one file this long (a huge or
 * crafted file), so the files queued behind it do not wait for its budget to run out.
 */
const STANDBY_AFTER_MS = 250;
const STANDBY_IDLE_MS = 10_000;

/**
 * Young generation of a worker, in MB. Parsing makes a lot of short-lived garbage: with 8 MB a
 * third of a big file's parse went to collecting it. 32 MB parses a 20 KB runbook in ~3 ms instead
 * of ~4.5 and a 1 MB one ~30% faster, for ~20 MB more resident memory. A standby worker keeps 8.
 */
const YOUNG_GENERATION_MB = 32;
const STANDBY_YOUNG_GENERATION_MB = 8;

/**
 * Worker threads reading the queued files, each file with its own budget. On a machine with fewer
 * than four cores, one reads and one stands by: the request event loop (with the embedded
 * database) or the PostgreSQL server writes an import while the worker parses it, so a second
 * reader only takes CPU from them; it measured slower on two cores. With four or more, two read.
 */
class ParsePool {
  private readonly slots: Slot[];
  private queue: Pending[] = [];
  private nextId = 1;
  /** Files parsed and the workers' time spent on them, for benchmarks and logs. */
  readonly stats = { parses: 0, parseMs: 0 };

  constructor(size: number) {
    const readers = os.availableParallelism() >= 4 ? size : 1;
    this.slots = Array.from({ length: size }, (_, i) => ({ worker: null, ready: null, current: null, tid: null, standby: i >= readers, idleTimer: null }));
  }

  parse(markdown: string, fileName: string | undefined, budgetMs: number, onHead?: (head: PreparedHead) => void): Promise<PreparedRevision> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, markdown, fileName, budgetMs, resolve, reject, onHead });
      this.pumpAll();
    });
  }

  private pumpAll(): void {
    // A warm worker first: starting another one costs more than waiting for the first to finish a small file.
    const idle = this.slots.filter((s) => !s.current).sort((a, b) => Number(a.standby) - Number(b.standby) || Number(!!b.worker) - Number(!!a.worker));
    for (const slot of idle) {
      if (!this.queue.length) return;
      if (slot.standby && !this.othersStalled(slot)) continue;
      // A second reader not started yet waits for a second queued file, or for the first reader to stall.
      if (!slot.standby && !slot.worker && this.slots.some((s) => s.worker && !s.standby) && this.queue.length < 2 && !this.othersStalled(slot)) continue;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      void this.pump(slot);
    }
  }

  private standbyCheck: NodeJS.Timeout | null = null;

  /** True when every other worker has been on its file for STANDBY_AFTER_MS; else looks again when that could be. */
  private othersStalled(slot: Slot): boolean {
    const now = performance.now();
    const others = this.slots.filter((s) => s !== slot);
    const stalled = others.every((s) => s.current && s.current.startedAt > 0 && now - s.current.startedAt >= STANDBY_AFTER_MS);
    if (!stalled && !this.standbyCheck) {
      // When the last of them reaches it (a worker still starting or idle counts from now).
      const since = Math.max(...others.map((s) => (s.current && s.current.startedAt > 0 ? s.current.startedAt : now)));
      this.standbyCheck = setTimeout(
        () => {
          this.standbyCheck = null;
          this.pumpAll();
        },
        Math.max(10, since + STANDBY_AFTER_MS - now),
      );
      this.standbyCheck.unref();
    }
    return stalled;
  }

  /** A standby worker with nothing to read stops after a while: its memory is back for the rest. */
  private idleStandby(slot: Slot): void {
    if (!slot.standby || !slot.worker || slot.current) return;
    const worker = slot.worker;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = null;
      if (slot.worker !== worker || slot.current) return;
      slot.worker = null;
      slot.ready = null;
      slot.tid = null;
      void worker.terminate();
    }, STANDBY_IDLE_MS);
    slot.idleTimer.unref();
  }

  private entry: Promise<string> | null = null;

  /** The bundled worker when it can be built, else the TypeScript entry run through tsx. */
  private entryFile(): Promise<string> {
    this.entry ??= bundledWorkerFile(workerFile()).then((bundle) => bundle ?? workerFile());
    return this.entry;
  }

  private start(slot: Slot, file: string): Promise<void> {
    // Reflect.construct, not `new Worker(…)`: the bundler would try to bundle the worker's entry.
    const maxYoungGenerationSizeMb = slot.standby ? STANDBY_YOUNG_GENERATION_MB : YOUNG_GENERATION_MB;
    const worker: Worker = Reflect.construct(Worker, [file, { resourceLimits: { maxYoungGenerationSizeMb } }]);
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
      if (message.ok && message.stage === "head") this.headArrived(slot, message.id, message.result);
      else this.finish(slot, message);
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

  private headArrived(slot: Slot, id: number, head: PreparedHead): void {
    const current = slot.current;
    if (!current || current.id !== id) return;
    current.head = head;
    current.onHead?.(head);
  }

  private finish(slot: Slot, reply: Exclude<ParseReply, { stage: "head" }>): void {
    const current = slot.current;
    if (!current || current.id !== reply.id) return;
    clearTimeout(current.timer);
    slot.current = null;
    slot.worker?.unref();
    if (reply.ok) {
      this.stats.parses += 1;
      this.stats.parseMs += reply.ms;
      if (current.head) current.resolve({ ...current.head, ...reply.result });
      else current.reject(new Error("the parse worker sent a body without its head"));
    } else {
      current.reject(new RunbookParseError(stripName(reply.message, current.fileName), (reply.code as RunbookParseErrorCode) ?? "binary", current.fileName));
    }
    this.pumpAll();
    this.idleStandby(slot);
  }

  private fail(slot: Slot, error: Error): void {
    const current = slot.current;
    if (!current) return;
    clearTimeout(current.timer);
    slot.current = null;
    current.reject(error);
    this.pumpAll();
    this.idleStandby(slot);
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
  return pool().parse(markdown, options.fileName, options.budgetMs ?? PARSE_BUDGET_MS);
}

/**
 * `parseInWorker` in two stages: settles when the head is read (a write can start with it), its
 * `body` when the structure and document are serialised. A failure before the head rejects this
 * promise; one after it rejects `body`.
 */
export function parseInWorkerStaged(markdown: string, options: { fileName?: string; budgetMs?: number } = {}): Promise<StagedRevision> {
  return new Promise((resolve, reject) => {
    let staged = false;
    const whole = pool().parse(markdown, options.fileName, options.budgetMs ?? PARSE_BUDGET_MS, (head) => {
      staged = true;
      const body: Promise<PreparedBody> = whole.then(({ stored, document }) => ({ stored, document }));
      // Handled here so a body nobody waits for (the write failed first) never goes unhandled.
      body.catch(() => undefined);
      resolve({ ...head, body });
    });
    whole.catch((error: unknown) => {
      if (!staged) reject(error);
    });
  });
}

function pool(): ParsePool {
  globalForPool.__sitrepParsePool ??= new ParsePool(Math.max(1, Math.min(2, os.availableParallelism())));
  return globalForPool.__sitrepParsePool;
}
