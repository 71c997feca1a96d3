import path from "node:path";
import { interpretCommand, PlanError, type InterpretedStage } from "@/agent/plan";
import { renderCommandForAgent, type StepCommand } from "@/lib/runbooks/parse";

// Seed 002 §5 as risk classes. Reading is safe; anything that re-runs, resumes, resets, migrates or
// widens work needs care; changing what runs in production is destructive. Classes are judged on
// what will run — the argv the host agent executes after quote removal and variable expansion
// (the agent's own interpreter, agent/plan.ts), and the method and path of an HTTP call — never on
// the text as written: `./scripts/dep''loy.sh` is deploy.sh, and a comment saying "resume" runs nothing.
export const RISK_CLASSES = ["safe", "careful", "destructive"] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

const word = (words: string) => new RegExp(`(^|[^a-z])(${words})([^a-z]|$)`, "i");
const DEPLOYS = word("deploy|rollback|rollout");
const CAREFUL = word("replay|resume|reset|migrate");
const LIMITS = /concurrency|worker_limit|tenant_limit/i;
// A program the console cannot know in advance (from a value captured at run time).
const UNKNOWN = "\u0000unknown\u0000";

const rank = (c: RiskClass) => RISK_CLASSES.indexOf(c);
const max = (classes: RiskClass[]): RiskClass => classes.reduce((a, b) => (rank(b) > rank(a) ? b : a), "safe" as RiskClass);

function deployClass(production: boolean): RiskClass {
  return production ? "destructive" : "careful";
}

/** One program with its expanded arguments and environment prefixes. */
export function classifyArgv(stage: Pick<InterpretedStage, "program" | "args" | "env">, production: boolean): RiskClass {
  if (stage.program.includes(UNKNOWN)) return deployClass(production);
  const words = [path.basename(stage.program), ...stage.args, ...Object.values(stage.env)];
  if (words.some((w) => DEPLOYS.test(w))) return deployClass(production);
  const dryRun = stage.args.includes("--dry-run");
  if (!dryRun && words.some((w) => CAREFUL.test(w) || LIMITS.test(w))) return "careful";
  return "safe";
}

/** An HTTP call the console sends itself: only a state-changing method can need care. */
export function classifyRequest(method: string, requestPath: string, body?: string): RiskClass {
  if (/^(GET|HEAD|OPTIONS)$/i.test(method)) return "safe";
  const bare = requestPath.split("?")[0];
  if (/\/(replay|resume)(\/|$)/i.test(bare) || LIMITS.test(bare) || (body !== undefined && LIMITS.test(body))) return "careful";
  return "safe";
}

/**
 * The risk class of a step's commands against an environment, with the inputs it will run with.
 * Shell text the agent would refuse to read gets the highest class the environment allows
 * (nothing is lost: the agent refuses it anyway).
 */
export function classifyStep(step: { commands: StepCommand[] }, production: boolean, inputs: Record<string, string> = {}): RiskClass {
  const vars = new Map<string, string>();
  const classes: RiskClass[] = [];
  for (const command of step.commands) {
    if (command.kind === "http" && command.http) {
      classes.push(classifyRequest(command.http.method, command.http.path, command.http.body?.raw));
      continue;
    }
    const text = renderCommandForAgent(command.source);
    // The agent receives the step's inputs as plan variables under the names the text uses.
    for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const value = inputs[m[1]] ?? inputs[m[1].toLowerCase()];
      if (value !== undefined && !vars.has(m[1])) vars.set(m[1], value);
    }
    try {
      for (const pipeline of interpretCommand(text, vars, { undefinedVariable: () => UNKNOWN })) {
        for (const stage of pipeline) classes.push(classifyArgv(stage, production));
      }
    } catch (error) {
      if (!(error instanceof PlanError)) throw error;
      classes.push(deployClass(production));
    }
  }
  return max(classes);
}

/** Proxied actions the console itself offers. */
export const PROXIED_ACTIONS = {
  "dlq.replay": "careful",
  "jobs.list": "safe",
  "jobs.inspect": "safe",
  "audit.read": "safe",
  "metrics.read": "safe",
} as const satisfies Record<string, RiskClass>;
