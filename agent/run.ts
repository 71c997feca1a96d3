import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { Allowlist } from "./allowlist";
import type { Expectation, PreparedCommand, Stage } from "./plan";

// Runs a prepared plan: each pipeline's programs are spawned directly (shell: false), each in
// its own process group so a timeout or a cancel can stop everything it started.

export type ExecEvent =
  | { type: "accepted"; execId: string; commands: number }
  | { type: "start"; command: number; text: string }
  | { type: "spawn"; command: number; argv: string[]; env: Record<string, string>; stdoutTo: string | null }
  | { type: "stdout" | "stderr"; command: number; data: string }
  | { type: "exit"; command: number; code: number | null; signal: string | null; durationMs: number; met: boolean; reason?: StopReason }
  | { type: "done"; ok: boolean; durationMs: number; reason?: StopReason }
  | { type: "error"; code: string; message: string; command?: number };

export type StopReason = "timeout" | "cancelled" | "output_limit";

const KILL_GRACE_MS = 2_000;

export class Execution {
  private live = new Set<ChildProcess>();
  private stopReason: StopReason | null = null;
  private outputBytes = 0;

  constructor(
    readonly id: string,
    private readonly list: Allowlist,
    private readonly commands: PreparedCommand[],
    private readonly timeoutMs: number,
    private readonly emit: (event: ExecEvent) => void,
  ) {}

  get stopped(): StopReason | null {
    return this.stopReason;
  }

  stop(reason: StopReason) {
    if (this.stopReason) return;
    this.stopReason = reason;
    for (const child of this.live) killGroup(child, "SIGTERM");
    const survivors = [...this.live];
    if (survivors.length > 0) {
      setTimeout(() => survivors.forEach((c) => c.exitCode === null && c.signalCode === null && killGroup(c, "SIGKILL")), KILL_GRACE_MS).unref();
    }
  }

  async run(): Promise<boolean> {
    const started = Date.now();
    const timer = setTimeout(() => this.stop("timeout"), this.timeoutMs);
    timer.unref();
    let ok = true;
    try {
      for (const command of this.commands) {
        this.emit({ type: "start", command: command.index, text: command.text });
        const commandStarted = Date.now();
        let result: { code: number | null; signal: string | null } = { code: 0, signal: null };
        for (const pipeline of command.pipelines) {
          if (this.stopReason) break;
          result = await this.runPipeline(command.index, pipeline);
          if (result.code !== 0) break; // like `set -e`: the rest of this command's text does not run
        }
        const met = !this.stopReason && meets(command.expect, result.code);
        this.emit({
          type: "exit",
          command: command.index,
          code: result.code,
          signal: result.signal,
          durationMs: Date.now() - commandStarted,
          met,
          ...(this.stopReason ? { reason: this.stopReason } : {}),
        });
        if (!met) {
          ok = false;
          break;
        }
      }
    } finally {
      clearTimeout(timer);
    }
    this.emit({ type: "done", ok, durationMs: Date.now() - started, ...(this.stopReason ? { reason: this.stopReason } : {}) });
    return ok;
  }

  private output(command: number, stream: "stdout" | "stderr", data: string) {
    if (this.stopReason === "output_limit" || data === "") return;
    const bytes = Buffer.byteLength(data);
    const room = this.list.maxOutputBytes - this.outputBytes;
    if (bytes > room) {
      const cut = Buffer.from(data).subarray(0, Math.max(0, room)).toString("utf8");
      if (cut) this.emit({ type: stream, command, data: cut });
      this.emit({ type: "stderr", command, data: `\n[agent] output limit of ${this.list.maxOutputBytes} bytes reached; stopping\n` });
      this.outputBytes = this.list.maxOutputBytes;
      this.stop("output_limit");
      return;
    }
    this.outputBytes += bytes;
    this.emit({ type: stream, command, data });
  }

  private runPipeline(command: number, stages: Stage[]): Promise<{ code: number | null; signal: string | null }> {
    return new Promise((resolve) => {
      const results: { code: number | null; signal: string | null }[] = stages.map(() => ({ code: null, signal: null }));
      let remaining = stages.length;
      const children: ChildProcess[] = [];
      const flushed: Promise<void>[] = [];
      let redirectFailed = false;
      const finish = () => {
        // pipefail: the rightmost failing stage decides.
        const failing = [...results].reverse().find((r) => r.code !== 0);
        // A redirect target is complete before the next statement may read it.
        void Promise.all(flushed).then(() => {
          // Like a shell, a redirect that cannot be written fails the statement.
          if (redirectFailed && !failing) resolve({ code: 1, signal: null });
          else resolve(failing ?? results[results.length - 1]);
        });
      };
      stages.forEach((stage, i) => {
        this.emit({
          type: "spawn",
          command,
          argv: [stage.program, ...stage.argv],
          env: stage.env,
          stdoutTo: stage.stdoutTo ? path.resolve(this.list.cwd, stage.stdoutTo.path) : null,
        });
        const child: ChildProcess = spawn(stage.file, stage.argv, {
          cwd: this.list.cwd,
          env: { ...this.list.childEnv, ...stage.env } as NodeJS.ProcessEnv,
          shell: false,
          detached: true,
          stdio: [i === 0 ? "ignore" : "pipe", "pipe", "pipe"] as ("ignore" | "pipe")[],
        });
        children.push(child);
        this.live.add(child);
        const previous = children[i - 1];
        if (previous?.stdout && child.stdin) {
          previous.stdout.pipe(child.stdin);
          child.stdin.on("error", () => undefined); // the reader may exit first (EPIPE)
        }
        const last = i === stages.length - 1;
        if (last && stage.stdoutTo) {
          const file = fs.createWriteStream(path.resolve(this.list.cwd, stage.stdoutTo.path), { flags: stage.stdoutTo.append ? "a" : "w" });
          file.on("error", (error) => {
            redirectFailed = true;
            this.output(command, "stderr", `[agent] cannot write ${stage.stdoutTo!.path}: ${error.message}\n`);
          });
          flushed.push(new Promise((done) => file.on("close", () => done())));
          child.stdout!.pipe(file);
        } else if (last) {
          const decoder = new StringDecoder("utf8");
          child.stdout!.on("data", (chunk: Buffer) => this.output(command, "stdout", decoder.write(chunk)));
          child.stdout!.on("end", () => this.output(command, "stdout", decoder.end()));
        }
        const errDecoder = new StringDecoder("utf8");
        child.stderr!.on("data", (chunk: Buffer) => this.output(command, "stderr", errDecoder.write(chunk)));
        let settled = false;
        const settle = (code: number | null, signal: string | null) => {
          if (settled) return;
          settled = true;
          results[i] = { code, signal };
          this.live.delete(child);
          if (--remaining === 0) finish();
        };
        child.on("error", (error) => {
          this.output(command, "stderr", `[agent] cannot start ${stage.program}: ${error.message}\n`);
          settle(127, null);
        });
        child.on("close", (code, signal) => settle(code, signal));
        if (this.stopReason) killGroup(child, "SIGTERM");
      });
    });
  }
}

function meets(expect: Expectation, code: number | null): boolean {
  if (expect === "any") return code !== null;
  if (expect === "failure") return code !== null && code !== 0;
  return code === 0;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
