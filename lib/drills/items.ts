import type { DrillItemKind } from "@/db/schema";
import type { ParsedRunbook, Step } from "@/lib/runbooks/parse";
import { describeAction, type DrillAction, type DrillPart, type DrillPlan, type Prerequisite } from "./plan";

// The drill's items, derived (deterministically) from a runbook revision and a plan: drill-wide
// setup, then per step its setup, its parts (or the whole step) and its cleanup, manual checks in
// document order, then drill-wide cleanup. Rows in drill_steps record attempts at these items.

export type CommandExpectation = { ordinal: number; expect: "success" | "failure"; reason?: string; assertions: string[] };
export type ItemExpectation = { summary: string; commands: CommandExpectation[]; note?: string };

export type DrillItem = {
  position: number;
  kind: DrillItemKind;
  stepId: string | null;
  title: string;
  section: string;
  source: string;
  commands: number[];
  expectation: ItemExpectation;
  /** Setup or cleanup: the declared action. */
  action?: DrillAction;
  /** Step items: the part of the step with its bindings (the whole step when not split). */
  part?: DrillPart & { requires: Prerequisite[] };
  /** Declared skip from the plan. */
  skip?: string;
};

function expectationOf(step: Step, ordinals: number[], attempt?: number, note?: string): ItemExpectation {
  const commands = step.commands
    .filter((c) => ordinals.includes(c.ordinal))
    .map((c) => ({
      ordinal: c.ordinal,
      expect: c.expectation.exit,
      ...(c.expectation.reason ? { reason: c.expectation.reason } : {}),
      assertions: c.assertions
        .filter((a) => a.attempt === undefined || a.attempt === attempt)
        .map((a) => (a.kind === "json-equals" ? `${a.path} = ${String(a.value)}` : `output contains "${a.value}"`)),
    }));
  const failures = commands.filter((c) => c.expect === "failure").length;
  const assertions = commands.flatMap((c) => c.assertions);
  const summary = [
    failures === commands.length ? "must fail (non-zero exit)" : failures ? `${commands.length - failures} must succeed, ${failures} must fail` : "must succeed",
    ...assertions.map((a) => `and return ${a}`),
  ].join(" ");
  return { summary, commands, ...(note ? { note } : {}) };
}

function actionItem(kind: "setup" | "cleanup", action: DrillAction, stepId: string | null, section: string): Omit<DrillItem, "position"> {
  const text = describeAction(action);
  const summary = action.kind === "note" ? "nothing runs" : action.kind === "agent" && action.optional ? "optional: may fail without failing the drill" : "must succeed";
  return { kind, stepId, title: `${kind === "setup" ? "Setup" : "Cleanup"}: ${text}`, section, source: action.kind === "agent" ? action.text : text, commands: [], expectation: { summary, commands: [] }, action };
}

export function buildItems(parsed: ParsedRunbook, plan: DrillPlan): DrillItem[] {
  const out: Array<Omit<DrillItem, "position">> = [];
  for (const action of plan.setup) out.push(actionItem("setup", action, null, "Drill setup"));

  type Entry = { line: number; step?: Step; manual?: { text: string } };
  const entries: Entry[] = parsed.steps.map((step) => ({ line: step.startLine, step }));
  for (const list of parsed.checklists) {
    const hasSteps = list.items.some((i) => i.stepIds.length > 0);
    if (!hasSteps) continue;
    for (const item of list.items) if (item.manual && item.stepIds.length === 0) entries.push({ line: item.line, manual: { text: item.text } });
  }
  entries.sort((a, b) => a.line - b.line);

  for (const entry of entries) {
    if (entry.manual) {
      out.push({ kind: "manual", stepId: null, title: entry.manual.text, section: "", source: entry.manual.text, commands: [], expectation: { summary: "a person confirms it", commands: [] } });
      continue;
    }
    const step = entry.step!;
    const section = step.sectionPath.join(" › ");
    if (step.commands.length === 0) {
      out.push({ kind: "manual", stepId: step.id, title: step.title, section, source: step.source, commands: [], expectation: { summary: "a person confirms it", commands: [] } });
      continue;
    }
    if (step.runnable === false) {
      // It cannot run as written (a session it opens, a prompt, an unreadable line): a person runs it in a terminal.
      const reason = step.commands.find((c) => c.unreadable)?.unreadable;
      const summary = `a person runs it in a terminal and confirms it${reason ? ` (it cannot run as a step: ${reason})` : ""}`;
      out.push({ kind: "manual", stepId: step.id, title: step.title, section, source: step.source, commands: [], expectation: { summary, commands: [] } });
      continue;
    }
    const sp = plan.steps[step.id];
    const all = step.commands.map((c) => c.ordinal);
    if (sp?.skip) {
      out.push({ kind: "step", stepId: step.id, title: step.title, section, source: step.source, commands: all, expectation: expectationOf(step, all, undefined, sp.note), skip: sp.skip });
      continue;
    }
    for (const action of sp?.setup ?? []) out.push(actionItem("setup", action, step.id, section));
    const parts: DrillPart[] = sp?.parts ?? [{ commands: all, bind: sp?.bind ?? {}, literal: sp?.literal ?? {}, capture: [], requires: sp?.requires ?? [] }];
    parts.forEach((part, i) => {
      const chosen = step.commands.filter((c) => part.commands.includes(c.ordinal));
      const source = chosen.map((c) => c.source).join("\n");
      const title = parts.length > 1 ? `${step.title} — part ${i + 1} of ${parts.length} (command${chosen.length > 1 ? "s" : ""} ${part.commands.join(", ")})` : step.title;
      out.push({
        kind: "step",
        stepId: step.id,
        title,
        section,
        source,
        commands: part.commands,
        expectation: expectationOf(step, part.commands, part.attempt, part.note ?? (i === 0 ? sp?.note : undefined)),
        part: { ...part, requires: [...(sp?.requires ?? []), ...part.requires] },
      });
    });
    for (const action of sp?.cleanup ?? []) out.push(actionItem("cleanup", action, step.id, section));
  }
  for (const action of plan.cleanup) out.push(actionItem("cleanup", action, null, "Drill cleanup"));
  return out.map((item, position) => ({ ...item, position }));
}

/** Plan entries naming steps this revision does not have (after an edit), for a warning. */
export function unknownPlanSteps(parsed: ParsedRunbook, plan: DrillPlan): string[] {
  const ids = new Set(parsed.steps.map((s) => s.id));
  return Object.keys(plan.steps).filter((id) => !ids.has(id));
}
