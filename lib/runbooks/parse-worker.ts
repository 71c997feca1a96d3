import "server-only";
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { log } from "@/lib/log";
import { RunbookParseError, type RunbookParseErrorCode } from "@/lib/runbooks/parse";
import type { PreparedRevision } from "@/lib/runbooks/parse/prepared";
import type { ParseReply } from "@/lib/runbooks/parse/worker-main";

// Runbook parsing runs off the request event loop, in one worker thread per process, with a time
// budget per file: a file that takes longer is refused and the worker is replaced, so no text can
// hold the console. Requests queue; the caller may ask for several files ahead (an import writes
// one file while the worker reads the next).

/** Longest a single file may take to parse (markdown-it reads a crafted 2 MB file in about 1 s). */
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

class ParsePool {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private queue: Pending[] = [];
  private current: (Pending & { timer: NodeJS.Timeout }) | null = null;
  private nextId = 1;

  parse(markdown: string, fileName: string | undefined, budgetMs: number): Promise<PreparedRevision> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, markdown, fileName, budgetMs, resolve, reject });
      void this.pump();
    });
  }

  private start(): Promise<void> {
    // Reflect.construct, not `new Worker(…)`: the bundler would try to bundle the worker's entry.
    const worker: Worker = Reflect.construct(Worker, [workerFile()]);
    this.worker = worker;
    // The worker must not keep a CLI or test process alive once nothing is queued.
    worker.unref();
    this.ready = new Promise((resolve, reject) => {
      const onFirst = (message: unknown) => {
        if ((message as { ready?: boolean }).ready) {
          worker.off("message", onFirst);
          resolve();
        }
      };
      worker.on("message", onFirst);
      worker.once("error", reject);
    });
    worker.on("message", (message: ParseReply | { ready: true }) => {
      if ("ready" in message) return;
      this.finish(message);
    });
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) => {
      if (this.worker === worker) {
        this.worker = null;
        this.ready = null;
        if (this.current) this.fail(new Error(`the parse worker stopped (exit ${code})`));
      }
    });
    return this.ready;
  }

  private async pump(): Promise<void> {
    if (this.current || this.queue.length === 0) return;
    const next = this.queue.shift()!;
    this.current = { ...next, timer: setTimeout(() => this.overBudget(), next.budgetMs + 60_000) };
    try {
      if (!this.worker) await this.start();
      else await this.ready;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.current?.id !== next.id) return;
    this.worker!.ref();
    // The budget counts from the moment the worker has the file, not from when it was queued.
    clearTimeout(this.current.timer);
    this.current.timer = setTimeout(() => this.overBudget(), next.budgetMs);
    this.worker!.postMessage({ id: next.id, markdown: next.markdown, fileName: next.fileName });
  }

  private finish(reply: ParseReply): void {
    const current = this.current;
    if (!current || current.id !== reply.id) return;
    clearTimeout(current.timer);
    this.current = null;
    this.worker?.unref();
    if (reply.ok) current.resolve(reply.result);
    else current.reject(new RunbookParseError(stripName(reply.message, current.fileName), (reply.code as RunbookParseErrorCode) ?? "binary", current.fileName));
    void this.pump();
  }

  private fail(error: Error): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.timer);
    this.current = null;
    current.reject(error);
    void this.pump();
  }

  private overBudget(): void {
    const current = this.current;
    if (!current) return;
    log.warn("runbook_parse_over_budget", { file: current.fileName ?? null, budgetMs: current.budgetMs, bytes: current.markdown.length });
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    this.current = null;
    clearTimeout(current.timer);
    current.reject(
      new RunbookParseError(`reading this file took longer than ${current.budgetMs / 1000} s, so it was refused; split it into smaller runbooks`, "too-slow", current.fileName),
    );
    void worker?.terminate();
    void this.pump();
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
export function parseInWorker(markdown: string, options: { fileName?: string; budgetMs?: number } = {}): Promise<PreparedRevision> {
  globalForPool.__sitrepParsePool ??= new ParsePool();
  return globalForPool.__sitrepParsePool.parse(markdown, options.fileName, options.budgetMs ?? PARSE_BUDGET_MS);
}
