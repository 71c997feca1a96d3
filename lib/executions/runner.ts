import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { stepExecutions, type Agent, type Environment, type EnvironmentSurface, type ExecutionState } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { agentClient, AgentLostError, AgentRejectedError, type ExecEvent } from "@/lib/agents";
import { writeAudit } from "@/lib/audit";
import { AppError, UpstreamError } from "@/lib/errors";
import { publish } from "@/lib/live";
import { log } from "@/lib/log";
import { renderCommandForAgent, type Step, type StepCommand } from "@/lib/runbooks/parse";
import { recordRunFinished } from "./incident-link";
import { runHttpCommand, type AssertionResult } from "./http-step";
import { EXECUTIONS_CHANNEL, OutputWriter } from "./output";
import { extractJson, type Values } from "./substitute";

// Runs a started execution to its end in this process: HTTP commands natively, consecutive shell
// commands as one plan on the host agent. Output is stored as it arrives; the row ends in exactly
// one final state with a reason a person can read.

export type Segment = { kind: "http"; command: StepCommand } | { kind: "shell"; commands: StepCommand[] };

export function segmentsOf(step: Step): Segment[] {
  const out: Segment[] = [];
  for (const command of step.commands) {
    const last = out.at(-1);
    if (command.kind === "http" && command.http) out.push({ kind: "http", command });
    else if (last?.kind === "shell") last.commands.push(command);
    else out.push({ kind: "shell", commands: [command] });
  }
  return out;
}

export type CommandResult = {
  ordinal: number;
  kind: "http" | "shell";
  exitCode?: number | null;
  signal?: string | null;
  httpStatus?: number;
  met: boolean;
  expected: "success" | "failure";
  durationMs: number;
  assertions?: AssertionResult[];
};
export type Capture = { variable: string; input: string; value: string };

export type RunJob = {
  executionId: string;
  actor: Actor;
  step: Step;
  environment: Environment;
  surfaces: EnvironmentSurface[];
  agent: Agent | null;
  inputs: Values;
  /** The incident the run is for, whose timeline gets the outcome. */
  incidentId?: string | null;
  /** Resources the agent plan declares it removes (a drill's declared cleanup). */
  removes?: Array<{ kind: string; name: string }>;
};

type Running = { cancel: () => Promise<void>; done: Promise<void> };
const globalForRuns = globalThis as unknown as { __sitrepRunning?: Map<string, Running> };
const running = (globalForRuns.__sitrepRunning ??= new Map());

/** Executions this process is running now. */
export function runningHere(): string[] {
  return [...running.keys()];
}

/** Resolves when an execution this process runs has reached its final state. */
export function executionDone(id: string): Promise<void> | undefined {
  return running.get(id)?.done;
}

export async function cancelRunning(id: string): Promise<boolean> {
  const entry = running.get(id);
  if (!entry) return false;
  await entry.cancel();
  return true;
}

class Cancelled extends Error {}

const ONLY_ASSIGNMENTS = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|[^\s;&|<>]*)\s*)+$/;

/** Starts the job in the background of this process and returns at once. */
export function launch(db: Db, job: RunJob): void {
  let cancelled = false;
  let cancelShell: (() => Promise<void>) | null = null;
  const done = run(db, job, {
    isCancelled: () => cancelled,
    onShell: (fn) => (cancelShell = fn),
  })
    .catch((error) => log.error("executions.runner_crashed", { executionId: job.executionId, error: String(error) }))
    .finally(() => running.delete(job.executionId));
  running.set(job.executionId, {
    done,
    cancel: async () => {
      cancelled = true;
      await cancelShell?.().catch(() => undefined);
    },
  });
}

function shellInputs(texts: string[], values: Values, step: Step) {
  const inputs: Record<string, { value: string; placeholder: string }> = {};
  const known = new Map(step.placeholders.map((p) => [p.name, p]));
  for (const text of texts) {
    for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const name = m[1] ?? m[2];
      const normalized = name.toLowerCase();
      const value = values[name] ?? (known.has(normalized) || normalized in values ? values[normalized] : undefined);
      if (value !== undefined) inputs[name] = { value, placeholder: normalized };
    }
  }
  return inputs;
}

async function run(db: Db, job: RunJob, control: { isCancelled: () => boolean; onShell: (cancel: () => Promise<void>) => void }) {
  const out = new OutputWriter(db, job.executionId);
  const started = Date.now();
  const values: Values = { ...job.inputs };
  const captures: Capture[] = [];
  const results: CommandResult[] = [];
  const ran: unknown[] = [];
  let state: Exclude<ExecutionState, "running"> = "succeeded";
  let reason: string | null = null;
  let exitCode: number | null = null;
  let httpStatus: number | null = null;

  const capture = (command: StepCommand, json: unknown, stdout: string) => {
    for (const c of command.captures) {
      let value: string | undefined;
      if (c.from === "json") {
        let data = json;
        if (data === undefined) {
          try {
            data = JSON.parse(stdout);
          } catch {
            data = undefined;
          }
        }
        value = data === undefined ? undefined : extractJson(data, c.path);
      } else value = stdout.trim().split("\n").at(-1)?.trim();
      if (!value) continue;
      values[c.variable] = value;
      values[c.input] = value;
      captures.push({ variable: c.variable, input: c.input, value });
      void out.write("info", `captured ${c.variable}=${value}\n`);
    }
  };

  try {
    for (const segment of segmentsOf(job.step)) {
      if (control.isCancelled()) throw new Cancelled();
      if (segment.kind === "http") {
        const call = segment.command.http!;
        void out.write("info", `$ ${call.method} ${call.api === "surface" ? "" : `${call.api} API `}${call.path}\n`);
        const outcome = await runHttpCommand(segment.command, values, job.environment, job.surfaces);
        ran.push(outcome.ran);
        httpStatus = outcome.status;
        void out.write(outcome.status < 400 ? "stdout" : "stderr", `HTTP ${outcome.status}\n${outcome.output}\n`);
        for (const a of outcome.assertions) void out.write("info", `${a.ok ? "✓" : a.enforced ? "✗" : "·"} ${a.path ?? ""} expected ${a.expected}, got ${a.observed ?? "nothing"}${a.enforced ? "" : " (applies to a later attempt; not enforced)"}\n`);
        results.push({ ordinal: segment.command.ordinal, kind: "http", httpStatus: outcome.status, met: outcome.met, expected: segment.command.expectation.exit, durationMs: outcome.durationMs, assertions: outcome.assertions });
        if (outcome.met) capture(segment.command, outcome.json, outcome.output);
        else {
          state = "failed";
          reason = `Command ${segment.command.ordinal} ${segment.command.expectation.exit === "failure" ? "was expected to fail but succeeded" : `did not meet its expectation (HTTP ${outcome.status})`}.`;
          break;
        }
        continue;
      }
      // Shell commands go to the host agent as one plan.
      if (!job.agent) throw new AppError("This step runs shell commands and no host agent was chosen.");
      const agent = job.agent;
      // A line that only assigns variables (`DEPLOY_ROOT=/tmp/x`) is no command for the agent:
      // it travels in front of the next command of the plan, where the agent keeps its variables.
      const planned: { command: StepCommand; text: string }[] = [];
      let leading: string[] = [];
      for (const c of segment.commands) {
        const text = renderCommandForAgent(c.source);
        if (ONLY_ASSIGNMENTS.test(text)) leading.push(text);
        else {
          planned.push({ command: c, text: [...leading, text].join("\n") });
          leading = [];
        }
      }
      const texts = planned.map((p) => p.text);
      const plan = {
        commands: planned.map((p) => ({ text: p.text, expect: p.command.expectation.exit })),
        inputs: shellInputs(texts, values, job.step),
        ...(job.removes?.length ? { removes: job.removes } : {}),
      };
      ran.push({ kind: "shell", agent: agent.name, host: agent.url, ordinals: planned.map((p) => p.command.ordinal), plan });
      const client = agentClient(agent);
      let execId: string | null = null;
      control.onShell(async () => {
        if (execId) await client.cancel(execId);
      });
      const stdoutByCommand = new Map<number, string>();
      let lastExit: { met: boolean; code: number | null } | null = null;
      const result = await client.exec(plan, (event: ExecEvent) => {
        switch (event.type) {
          case "accepted":
            execId = event.execId;
            break;
          case "start":
            void out.write("info", `$ ${event.text}\n`);
            break;
          case "stdout":
          case "stderr":
            if (event.type === "stdout") stdoutByCommand.set(event.command, (stdoutByCommand.get(event.command) ?? "") + event.data);
            void out.write(event.type, event.data);
            break;
          case "exit": {
            const command = planned[event.command].command;
            lastExit = { met: event.met, code: event.code };
            exitCode = event.code;
            results.push({ ordinal: command.ordinal, kind: "shell", exitCode: event.code, signal: event.signal, met: event.met, expected: command.expectation.exit, durationMs: event.durationMs });
            void out.write("info", `exit ${event.code ?? event.signal} after ${event.durationMs} ms${command.expectation.exit === "failure" ? " (a failure was expected)" : ""}${event.reason ? ` — ${event.reason}` : ""}\n`);
            if (event.met) capture(command, undefined, stdoutByCommand.get(event.command) ?? "");
            break;
          }
          case "error":
            void out.write("info", `agent: ${event.message}\n`);
            break;
          default:
            break;
        }
      });
      if (result.reason === "cancelled") throw new Cancelled();
      if (!result.ok) {
        state = "failed";
        reason =
          result.reason === "timeout"
            ? "The step ran longer than the host agent allows and was stopped."
            : result.reason === "output_limit"
              ? "The step printed more output than the host agent allows and was stopped."
              : lastExit && (lastExit as { met: boolean }).met === false
                ? "A command did not end as expected (see its exit code)."
                : "The host agent reported the step as failed.";
        break;
      }
    }
  } catch (error) {
    if (error instanceof Cancelled || control.isCancelled()) {
      state = "cancelled";
      reason = "Cancelled from the console.";
    } else if (error instanceof AgentLostError) {
      state = "lost";
      reason = `Lost contact with host agent "${job.agent?.name}" mid-step (${error.message}). What happened on the host is unknown; check it before running the step again.`;
    } else if (error instanceof AgentRejectedError) {
      state = "failed";
      reason = `The host agent refused the step, so nothing ran: ${error.detail || error.agentCode}`;
    } else if (error instanceof UpstreamError || error instanceof AppError) {
      state = "failed";
      reason = error.message;
    } else {
      state = "failed";
      reason = "The step stopped on an unexpected error in the console; see the server log.";
      log.error("executions.unexpected_error", { executionId: job.executionId, error: error instanceof Error ? error.stack : String(error) });
    }
    void out.write("info", `${reason}\n`);
  }

  await out.flush().catch(() => undefined);
  const finishedAt = new Date();
  const expectationMet = state === "succeeded" ? true : state === "failed" ? false : null;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(stepExecutions)
      .set({ state, reason, results, ran, captures, exitCode, httpStatus, expectationMet, finishedAt, durationMs: finishedAt.getTime() - started })
      .where(and(eq(stepExecutions.id, job.executionId), eq(stepExecutions.state, "running")))
      .returning();
    if (!row) return; // already marked lost elsewhere
    await writeAudit(tx, {
      actor: job.actor,
      action: "step.execution.finish",
      targetType: "step_execution",
      targetId: job.executionId,
      after: { state, reason, exitCode, httpStatus, expectationMet, captures, durationMs: row.durationMs },
    });
    if (row.incidentId) {
      await recordRunFinished(tx, job.actor, row.incidentId, { executionId: row.id, runbookSlug: row.runbookSlug, stepId: row.stepId, stepTitle: row.stepTitle, environmentName: row.environmentName, state, exitCode, httpStatus, reason });
    }
    await publish(tx, EXECUTIONS_CHANNEL, { type: "execution.finished", id: job.executionId, state });
  });
}
