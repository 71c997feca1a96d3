import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAllowlist } from "./allowlist";
import { PlanError, preparePlan } from "./plan";
import { SHIPPED_ALLOWLIST } from "./testing";

// The interpreter on its own (no server): what a text expands to, and what it refuses.

const state = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-plan-test-"));
afterAll(() => fs.rmSync(state, { recursive: true, force: true }));
const list = loadAllowlist(SHIPPED_ALLOWLIST, { SITREP_REFENV_STATE: state });

function argvs(text: string, inputs: Record<string, string> = {}) {
  return preparePlan(list, { commands: [{ text }], inputs }).commands[0].pipelines.map((p) => p.map((s) => [s.program, ...s.argv]));
}
function refusal(text: string, inputs: Record<string, string> = {}): PlanError {
  try {
    preparePlan(list, { commands: [{ text }], inputs });
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error(`not refused: ${text}`);
}

describe("expansion", () => {
  it("handles quotes, escapes, line continuations, comments and variables as a shell would, without splitting", () => {
    expect(argvs(`S="a b"  # comment\ncurl -fsS \\\n  -H 'X-Note: '"$S"' \\$x' http://127.0.0.1:8000/api/slots`)).toEqual([
      [["curl", "-fsS", "-H", "X-Note: a b \\$x", "http://127.0.0.1:8000/api/slots"]],
    ]);
    expect(argvs('curl -fsS "http://127.0.0.1:8000/api/runs/${run_id}"', { run_id: "45b74df3-6eba-4604-93ad-51a54af925f9" })).toEqual([
      [["curl", "-fsS", "http://127.0.0.1:8000/api/runs/45b74df3-6eba-4604-93ad-51a54af925f9"]],
    ]);
  });

  it("accepts ? inside a URL (seed 002 triage) and --flag=value forms", () => {
    expect(argvs("curl -s http://127.0.0.1:8080/v1/jobs?limit=20")).toEqual([[["curl", "-s", "http://127.0.0.1:8080/v1/jobs?limit=20"]]]);
    expect(argvs("./scripts/preview-backend-runtime.sh status --slot=preview-2")).toEqual([[["./scripts/preview-backend-runtime.sh", "status", "--slot=preview-2"]]]);
  });

  it("keeps plan variables across commands but not environment prefixes", () => {
    const plan = preparePlan(list, {
      commands: [{ text: `ROOT=${state}/drill\nDEPLOY_SKIP_HEALTHCHECK=1 ./scripts/deploy.sh c1` }, { text: 'mkdir -p "$ROOT"' }],
    });
    expect(plan.commands[0].pipelines[0][0].env).toEqual({ DEPLOY_SKIP_HEALTHCHECK: "1" });
    expect(plan.commands[1].pipelines[0][0].argv).toEqual(["-p", `${state}/drill`]);
    expect(refusal('DEPLOY_SKIP_HEALTHCHECK=1 ./scripts/deploy.sh c1\nmkdir -p "$DEPLOY_SKIP_HEALTHCHECK"').code).toBe("UNDEFINED_VARIABLE");
  });
});

describe("refusals", () => {
  it.each([
    ["special parameters", "./scripts/deploy.sh $1", /special parameter/],
    ["operators in expansions", './scripts/deploy.sh "${X:-y}"', /only plain/],
    ["ANSI-C quoting", "./scripts/deploy.sh $'a'", /\$'…'/],
    ["input redirects", `cat < ${state}/x`, /only > and >>/],
    ["stderr redirects", `./scripts/runtime-health-check.sh 2> ${state}/x`, /only > and >>|only standard output/],
    ["heredocs", "cat <<EOF\nx\nEOF", /only > and >>/],
    ["a redirect before the end of a pipeline", `curl -s http://127.0.0.1:8000/health > ${state}/x | tail -n 1`, /last command of a pipeline/],
    ["background jobs", "./scripts/runtime-health-check.sh &", /background/],
    ["arithmetic", "./scripts/deploy.sh $((1+1))", /arithmetic/],
    ["brace expansion", "mkdir -p /tmp/oroboros-drill/{a,b}", /glob or brace/],
    ["tilde expansion", "cat ~/.ssh/id_rsa", /tilde/],
    ["unknown flags", "curl -o /tmp/x http://127.0.0.1:8000/health", /flag -o is not allowed/],
    ["extra arguments", "./scripts/deploy.sh a b", /at most 1/],
    ["a missing flag value", "tail -n", /needs a value/],
    ["parse errors", "echo 'unterminated", /cannot parse/],
  ])("refuses %s", (_label, text, message) => {
    expect(refusal(text).message).toMatch(message);
  });
});
