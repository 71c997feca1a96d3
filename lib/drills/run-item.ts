import "server-only";
import type { Environment } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { controlApi } from "@/lib/control-api";
import { UpstreamError, AppError } from "@/lib/errors";
import { chunksAfter } from "@/lib/executions/output";
import { getExecution } from "@/lib/executions/queries";
import { executionDone } from "@/lib/executions/runner";
import { startStepExecution } from "@/lib/executions/start";
import type { ParsedRunbook, Placeholder, Step, StepCommand } from "@/lib/runbooks/parse";
import type { DrillItem } from "./items";
import type { DrillAction, DrillResource, Prerequisite } from "./plan";
import type { DrillVariables } from "./store";

// Runs one drill item. Runbook steps (and agent actions of the plan) go through the console's
// step executor, so they are stored, audited and streamed like any step run; control-API setup
// goes through the typed client. The result is what the drill records for the attempt.

export type ItemResult = {
  outcome: "passed" | "failed" | "skipped";
  reason: string | null;
  /** The host agent vanished mid-item: the outcome on the host is unknown. */
  lost?: boolean;
  executionId?: string | null;
  ran: unknown[];
  output: string;
  exitCode?: number | null;
  httpStatus?: number | null;
  durationMs: number;
  results: unknown[];
};

export type ItemContext = {
  ctx: Ctx;
  drill: { id: string; runbookId: string; runbookSlug: string; revisionId: string; inputs: Record<string, string> };
  parsed: ParsedRunbook;
  environment: Environment;
  variables: DrillVariables;
  /** Resources the drill's plan declares (what "remove" actions may remove). */
  resources: DrillResource[];
  /** Runbook steps of this drill that ran on the environment (an attempt reached the executor). */
  ranSteps?: Set<string>;
  /** Told the execution id as soon as a step starts, so its output can be followed live. */
  onExecution?: (executionId: string) => void;
};

const MAX_OUTPUT = 256_000;
const SAFE_LITERAL = /^[A-Za-z0-9._-]{1,200}$/;

class ItemError extends AppError {}

/** "${name}" → the drill's value (variables win over inputs); anything else is itself. */
export function resolveRef(ref: string, ic: Pick<ItemContext, "drill" | "variables">): string {
  const m = /^\$\{([a-z][a-z0-9_]*)\}$/.exec(ref);
  if (!m) return ref;
  const value = ic.variables.values[m[1]] ?? ic.drill.inputs[m[1]];
  if (value === undefined || value === "") throw new ItemError(`Not run: it needs ${m[1]}, which this drill has not produced (did its setup fail?).`);
  return value;
}

async function collectOutput(ctx: Ctx, executionId: string): Promise<string> {
  let text = "";
  let after = 0;
  for (;;) {
    const chunks = await chunksAfter(ctx.db, executionId, after, 500);
    if (!chunks.length) break;
    for (const c of chunks) text += c.text;
    after = chunks.at(-1)!.seq;
    if (chunks.length < 500 || text.length > MAX_OUTPUT) break;
  }
  return text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT)}\n… output cut at ${MAX_OUTPUT} characters` : text;
}

/** A line of the output that says what went wrong, for the reason. */
function telltale(output: string): string | null {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  const hit = lines.find((l) => /^error:|status=fail|\bfail(ed)?\b|not found|refus|unsafe|HTTP [45]\d\d/i.test(l) && !/^\$ /.test(l) && !/a failure was expected/.test(l));
  return hit ? hit.slice(0, 300) : null;
}

function missingPrerequisite(requires: Prerequisite[], output: string, results: Array<{ exitCode?: number | null }>): Prerequisite | null {
  const lower = output.toLowerCase();
  for (const p of requires) {
    if (lower.includes(`cannot start ${p.program.toLowerCase()}`)) return p;
    if (lower.includes(`"${p.program.toLowerCase()}" is allowlisted but not found`)) return p;
    if (results.some((r) => r.exitCode === 127) && lower.includes(p.program.toLowerCase())) return p;
    if (p.signs.some((s) => lower.includes(s.toLowerCase()))) return p;
  }
  return null;
}

/** Runs a step (or a synthetic one) through the executor and waits for its end. */
async function runThroughExecutor(ic: ItemContext, step: Step, inputs: Record<string, string>, requires: Prerequisite[] = [], removes?: Array<{ kind: string; name: string }>): Promise<ItemResult> {
  const started = Date.now();
  const execution = await startStepExecution(ic.ctx, {
    runbookId: ic.drill.runbookId,
    runbookSlug: ic.drill.runbookSlug,
    revisionId: ic.drill.revisionId,
    step,
    environmentId: ic.environment.id,
    inputs,
    // The drill's start asked for the production confirmation once for all its steps.
    confirmProduction: true,
    removes,
  });
  ic.onExecution?.(execution.id);
  await executionDone(execution.id);
  const row = await getExecution(ic.ctx, execution.id);
  const output = await collectOutput(ic.ctx, execution.id);
  const results = (row.results ?? []) as Array<{ exitCode?: number | null }>;
  for (const c of (row.captures ?? []) as Array<{ variable: string; input: string; value: string }>) {
    ic.variables.values[c.input] = c.value;
    ic.variables.values[c.variable.toLowerCase()] = c.value;
  }
  let outcome: ItemResult["outcome"] = row.state === "succeeded" ? "passed" : "failed";
  let reason = row.reason;
  if (outcome === "failed") {
    const missing = missingPrerequisite(requires, output, results);
    if (missing) reason = `Prerequisite missing: ${missing.message}`;
    else {
      const line = telltale(output);
      reason = [row.reason ?? `The step ended ${row.state}.`, line ? `The output says: ${line}` : ""].filter(Boolean).join(" ");
    }
  }
  return {
    outcome,
    reason,
    lost: row.state === "lost",
    executionId: row.id,
    ran: (row.ran ?? []) as unknown[],
    output,
    exitCode: row.exitCode,
    httpStatus: row.httpStatus,
    durationMs: row.durationMs ?? Date.now() - started,
    results,
  };
}

/** The runbook step restricted to the item's commands, with the plan's bindings applied. */
export function stepForItem(item: DrillItem, ic: Pick<ItemContext, "parsed" | "drill" | "variables">): { step: Step; inputs: Record<string, string> } {
  const original = ic.parsed.steps.find((s) => s.id === item.stepId);
  if (!original) throw new ItemError("Not run: this revision of the runbook has no such step.");
  const part = item.part!;
  const defs = new Map<string, Placeholder>([...ic.parsed.placeholders, ...original.placeholders].map((p) => [p.name, p]));
  const commands: StepCommand[] = original.commands
    .filter((c) => part.commands.includes(c.ordinal))
    .map((c) => {
      let source = c.source;
      let placeholders = [...c.placeholders];
      for (const [name, ref] of Object.entries(part.literal[String(c.ordinal)] ?? {})) {
        const value = resolveRef(ref, ic);
        const def = defs.get(name);
        // Written into the command text, so only plain words that match the placeholder's type.
        if (!SAFE_LITERAL.test(value) || (def && !new RegExp(def.pattern).test(value))) throw new ItemError(`Not run: "${value}" is not a valid ${name}.`);
        for (const form of def?.forms ?? [`<${name}>`]) source = source.split(form).join(value);
        placeholders = placeholders.filter((p) => p !== name);
      }
      const assertions = c.assertions.map((a) => (part.attempt !== undefined && a.attempt === part.attempt ? { ...a, attempt: undefined } : a));
      return { ...c, source, placeholders, assertions };
    });
  const folded = foldAssignments(commands);
  const names = [...new Set(folded.flatMap((c) => c.placeholders))];
  const placeholders = names.map((n) => defs.get(n)).filter((p): p is Placeholder => !!p);
  const inputs: Record<string, string> = {};
  for (const p of placeholders) {
    const ref = part.bind[p.name];
    const value = ref !== undefined ? resolveRef(ref, ic) : (ic.variables.values[p.name] ?? ic.drill.inputs[p.name]);
    if (value === undefined || value === "") throw new ItemError(`Not run: it needs a value for ${p.forms[0] ?? p.name}, and none was given or captured before it.`);
    inputs[p.name] = value;
  }
  const kinds = new Set(commands.map((c) => c.kind));
  const step: Step = {
    ...original,
    source: folded.map((c) => c.source).join("\n"),
    commands: folded,
    placeholders,
    captures: folded.flatMap((c) => c.captures),
    kind: kinds.size > 1 ? "mixed" : commands[0].kind,
  };
  return { step, inputs };
}

const ONLY_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=\S*$/;

/**
 * The host agent refuses a command that only assigns a variable (seed 000 §4 and §5 start with
 * `DEPLOY_ROOT=…` on its own line), so such a command is sent together with the command after it,
 * which keeps its own ordinal and expectation. The assignment still reaches the shell first.
 */
export function foldAssignments(commands: StepCommand[]): StepCommand[] {
  const out: StepCommand[] = [];
  let pending: StepCommand[] = [];
  for (const c of commands) {
    if (c.kind === "shell" && ONLY_ASSIGNMENT.test(c.source.trim())) {
      pending.push(c);
      continue;
    }
    if (pending.length && c.kind === "shell") {
      out.push({ ...c, source: [...pending.map((p) => p.source.trim()), c.source].join("\n"), placeholders: [...new Set([...pending.flatMap((p) => p.placeholders), ...c.placeholders])] });
      pending = [];
    } else {
      out.push(...pending, c);
      pending = [];
    }
  }
  return [...out, ...pending];
}

/** Runs one host command of the plan (setup, cleanup, a resource check) through the executor. */
export function runHostCommand(ic: ItemContext, command: { id: string; title: string; text: string; inputs?: Record<string, string>; removes?: Array<{ kind: string; name: string }> }): Promise<ItemResult> {
  const step = agentStep({ text: command.text, inputs: Object.fromEntries(Object.keys(command.inputs ?? {}).map((k) => [k, k])) }, command.id, command.title);
  return runThroughExecutor(ic, step, command.inputs ?? {}, [], command.removes);
}

function agentStep(action: { text: string; inputs: Record<string, string> }, id: string, title: string): Step {
  const names = Object.keys(action.inputs);
  const command: StepCommand = {
    ordinal: 1,
    source: action.text,
    startLine: 0,
    endLine: 0,
    group: 1,
    kind: "shell",
    env: {},
    expectation: { exit: "success", source: "default" },
    assertions: [],
    captures: [],
    assigns: [],
    placeholders: names,
  };
  return {
    id,
    ordinal: 0,
    sectionId: null,
    sectionPath: [],
    title,
    description: "",
    origin: "fence",
    language: "bash",
    source: action.text,
    startLine: 0,
    endLine: 0,
    commands: [command],
    placeholders: names.map((name) => ({ name, forms: [`\${${name}}`], type: "string", pattern: "^[A-Za-z0-9._-]{1,64}$", description: name, assignedTo: [] })),
    captures: [],
    kind: "shell",
  };
}

async function runAction(ic: ItemContext, item: DrillItem): Promise<ItemResult> {
  const action = item.action!;
  const started = Date.now();
  const client = controlApi({ baseUrl: ic.environment.controlBaseUrl });
  const lines: string[] = [];
  const ran: unknown[] = [];
  const done = (outcome: ItemResult["outcome"], reason: string | null): ItemResult => ({ outcome, reason, ran, output: lines.join("\n"), durationMs: Date.now() - started, results: [] });
  switch (action.kind) {
    case "note":
      return done("passed", null);
    case "create-runs": {
      for (let i = 1; i <= action.count; i++) {
        const body = { title: `${action.title} ${i}`, prompt: `created by Sitrep drill ${ic.drill.id}`, route: "/codex" };
        ran.push({ kind: "http", api: "control", method: "POST", url: `${client.target.baseUrl}/api/runs`, body });
        const run = await client.createRun(body);
        const id = String(run.id);
        ic.variables.values[`${action.prefix}_${i}`] = id;
        ic.variables.createdRuns.push(id);
        lines.push(`${action.prefix}_${i}=${id}`);
      }
      return done("passed", null);
    }
    case "acquire-slots": {
      for (const [i, runVar] of action.runs.entries()) {
        const runId = resolveRef(`\${${runVar}}`, ic);
        ran.push({ kind: "http", api: "control", method: "POST", url: `${client.target.baseUrl}/api/slots/acquire`, body: { run_id: runId } });
        const result = await client.acquireSlot(runId);
        if (!result.acquired) return done("failed", `Setup could not take a slot for ${runVar}: every slot is already held (WAITING_FOR_SLOT). Release the slots held outside the drill, then retry.`);
        const slotId = String(result.slot.slot_id);
        const name = action.as[i] ?? `${runVar}_slot`;
        ic.variables.values[name] = slotId;
        lines.push(`${name}=${slotId} (held by ${runVar})`);
      }
      return done("passed", null);
    }
    case "release-slots": {
      const mine = new Set(ic.variables.createdRuns);
      const held = async () => (await client.listSlots()).slots.filter((s) => s.state === "leased" && typeof s.run_id === "string" && mine.has(s.run_id));
      for (const slot of await held()) {
        ran.push({ kind: "http", api: "control", method: "POST", url: `${client.target.baseUrl}/api/slots/${slot.slot_id}/release`, body: { run_id: slot.run_id } });
        await client.releaseSlot(String(slot.slot_id), String(slot.run_id));
        lines.push(`released ${slot.slot_id} (run ${slot.run_id})`);
      }
      let still = await held();
      if (still.length) {
        // A release can be acknowledged without freeing the slot (slot leak); reaping frees it.
        ran.push({ kind: "http", api: "control", method: "POST", url: `${client.target.baseUrl}/api/slots/reap-expired` });
        await client.reapExpired();
        lines.push(`reaped expired leases: ${still.map((s) => s.slot_id).join(", ")} were still held after release`);
        still = await held();
      }
      if (still.length) return done("failed", `Cleanup left ${still.map((s) => `${s.slot_id} (run ${s.run_id})`).join(", ")} held after release and reap; release them by hand.`);
      if (!lines.length) lines.push("no slot held by a run of this drill");
      return done("passed", null);
    }
    case "agent": {
      const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, ref]) => [k, resolveRef(ref, ic)]));
      const result = await runThroughExecutor(ic, agentStep(action, `drill-${item.kind}-${item.position}`, item.title), inputs);
      if (result.outcome === "failed" && action.optional && !result.lost) return { ...result, outcome: "skipped", reason: `Optional, so the drill goes on: ${result.reason}` };
      return result;
    }
    case "remove": {
      // One removal per resource, each declared to the agent, so it can refuse anything else.
      const parts: ItemResult[] = [];
      for (const name of action.resources) {
        const resource = ic.resources.find((r) => r.name === name);
        if (!resource) return done("failed", `The plan removes ${name} but does not declare it.`);
        // Only what this drill created: if the step that creates it never ran, whatever has that
        // name now is someone else's.
        if (resource.createdBy && ic.ranSteps && !ic.ranSteps.has(resource.createdBy)) {
          lines.push(`${name}: left alone — the step that creates it (${resource.createdBy}) did not run in this drill`);
          continue;
        }
        const result = await runHostCommand(ic, { id: `drill-${item.kind}-${item.position}`, title: `Remove ${name}`, text: resource.remove, removes: [{ kind: resource.kind, name }] });
        parts.push(result);
        ran.push(...result.ran);
        lines.push(result.output.trim());
        if (result.lost) return { ...done("failed", result.reason), lost: true, executionId: result.executionId };
      }
      const failed = parts.find((p) => p.outcome === "failed");
      if (!parts.length) return done("passed", null);
      return { ...done(failed ? "failed" : "passed", failed ? failed.reason : null), results: parts.flatMap((p) => p.results), executionId: parts.at(-1)?.executionId ?? null };
    }
  }
}

/** Runs the item once; never throws for a failure a person can read. */
export async function runItem(ic: ItemContext, item: DrillItem): Promise<ItemResult> {
  const started = Date.now();
  try {
    if (item.action) return await runAction(ic, item);
    const { step, inputs } = stepForItem(item, ic);
    const result = await runThroughExecutor(ic, step, inputs, item.part?.requires ?? []);
    if (result.outcome === "passed" && item.part?.capture.length) {
      for (const c of item.part.capture) {
        const m = new RegExp(c.pattern).exec(result.output);
        if (!m?.[1]) return { ...result, outcome: "failed", reason: `The step ran, but its output has no ${c.variable} (looked for /${c.pattern}/), so later steps cannot use it.` };
        ic.variables.values[c.variable] = m[1];
        result.output += `\ncaptured ${c.variable}=${m[1]}`;
      }
    }
    return result;
  } catch (error) {
    const reason = error instanceof AppError || error instanceof UpstreamError ? error.message : "The drill stopped on an unexpected error; see the server log.";
    return { outcome: "failed", reason, ran: [], output: "", durationMs: Date.now() - started, results: [] };
  }
}
