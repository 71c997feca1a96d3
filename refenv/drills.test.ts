import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentClient, type ExecEvent } from "../agent/client";
import type { RunningAgent } from "../agent/index";
import { TEST_AGENT_ID, TEST_SECRET, seedBlock } from "../agent/testing";
import { ADMIN_TOKEN_HEADER, type Refenv } from "./index";
import { startReferenceStack, type ReferenceStack } from "./stack";

// Seed 000 and 001 steps run through a real agent (shipped allowlist, via the reference stack) against a real
// reference environment. The seed text is read from ../shared/seeds and only its
// placeholders are filled in; the drill's deploy root is moved into this test's sandbox so
// parallel runs cannot share /tmp/oroboros-drill.

let stack: ReferenceStack;
let env: Refenv;
let agent: RunningAgent;
let stateDir: string;
let client: ReturnType<typeof createAgentClient>;

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-drill-"));
  stack = await startReferenceStack({ basePort: 0, adminToken: "drill-admin", stateDir, tickMs: 50, agent: { agentId: TEST_AGENT_ID, secret: TEST_SECRET } });
  ({ refenv: env, agent } = stack);
  client = createAgentClient({ url: agent.url, agentId: TEST_AGENT_ID, secret: TEST_SECRET });
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function run(plan: Parameters<typeof client.exec>[0]) {
  const events: ExecEvent[] = [];
  const result = await client.exec(plan, (e) => events.push(e));
  const output = (command: number) =>
    events
      .filter((e) => (e.type === "stdout" || e.type === "stderr") && e.command === command)
      .map((e) => (e as { data: string }).data)
      .join("");
  const exits = events.filter((e) => e.type === "exit") as Extract<ExecEvent, { type: "exit" }>[];
  return { result, events, output, exits };
}

/** Replaces each `<name>` placeholder, in order, by the given variable references. */
function fill(text: string, placeholder: string, names: string[]): string {
  let i = 0;
  return text.replace(new RegExp(`<${placeholder}>`, "g"), () => `\${${names[i++] ?? names[names.length - 1]}}`);
}

// Each step spawns many processes; allow for a busy machine.
describe("seed 000 through the agent", { timeout: 90_000 }, () => {
  it("§1 readiness: both health checks pass against the reference environment", async () => {
    const { result, output } = await run({ commands: [{ text: seedBlock("000", "## 1)") }] });
    expect(result.ok).toBe(true);
    expect(output(0)).toContain("result=ok checked=11 failed=0");
    expect(output(0)).toContain("slot=preview-3 status=ok");
  });

  it("§1 readiness fails and names the surface when a health fault is on", async () => {
    await fetch(`${env.urls["control-api"]}/__faults`, {
      method: "POST",
      headers: { [ADMIN_TOKEN_HEADER]: "drill-admin" },
      body: JSON.stringify({ fault: "failing_health:web-main", on: true }),
    });
    try {
      const { result, output, exits } = await run({ commands: [{ text: "./scripts/runtime-health-check.sh" }] });
      expect(result.ok).toBe(false);
      expect(exits[0].code).toBe(1);
      expect(output(0)).toContain("check=web-main status=fail http=503");
    } finally {
      env.faults.clear();
    }
  });

  it("§4 failed deploy drill ends on the previous release, §5 rollback to a missing release fails non-zero", async () => {
    const deployRoot = path.join(stateDir, "oroboros-drill");
    const block = seedBlock("000", "## 4)").replaceAll("/tmp/oroboros-drill", deployRoot);
    const [setup, failing] = block.split(/^# Simulate failed deploy.*$/m);
    const drill = await run({
      commands: [{ text: fill(setup, "known_commit", ["commit_old", "commit_new"]) }, { text: failing, expect: "failure" }],
      inputs: { commit_old: { value: "rel-old-1a2b", placeholder: "known_commit" }, commit_new: { value: "rel-new-3c4d", placeholder: "known_commit" } },
    });
    expect(drill.result.ok).toBe(true);
    expect(drill.exits.map((e) => [e.code, e.met])).toEqual([
      [0, true],
      [1, true],
    ]);
    expect(drill.output(1)).toContain("restored previous release rel-old-1a2b");
    expect(fs.readlinkSync(path.join(deployRoot, "current"))).toBe("releases/rel-old-1a2b");
    expect(fs.readFileSync(path.join(deployRoot, "releases/rel-new-3c4d/.deploy-meta"), "utf8")).toContain("commit_sha=rel-new-3c4d");

    const rollbackBlock = fill(seedBlock("000", "## 5)").replaceAll("/tmp/oroboros-drill", deployRoot), "release_id", ["release_id"]);
    const [missing, valid] = rollbackBlock.split(/^# Valid rollback.*$/m);
    const rollback = await run({
      commands: [{ text: missing, expect: "failure" }, { text: valid }],
      inputs: { release_id: "rel-new-3c4d" },
    });
    expect(rollback.exits[0].code).not.toBe(0);
    expect(rollback.exits[0].met).toBe(true);
    expect(rollback.output(0)).toContain("rollback target release 'missing-release-id' not found");
    expect(rollback.result.ok).toBe(true);
    expect(fs.readlinkSync(path.join(deployRoot, "current"))).toBe("releases/rel-new-3c4d");
  });

  it("§6 preview reset: unknown snapshot fails, seed strategy recovers", async () => {
    const created = (await (
      await fetch(`${env.urls["control-api"]}/api/runs`, { method: "POST", body: JSON.stringify({ title: "preview drill", prompt: "p", route: "/codex" }) })
    ).json()) as { id: string };
    const block = seedBlock("000", "## 6)");
    const steps = block.split(/\n\n/).filter((s) => s.includes("./scripts/"));
    const [snapshot, recovery] = steps.map((s) => fill(fill(s, "run_id", ["run_id"]), "slot_id", ["slot_id"]));
    const first = await run({ commands: [{ text: snapshot, expect: "failure" }], inputs: { run_id: created.id } });
    expect(first.result.ok).toBe(true);
    expect(first.output(0)).toContain("snapshot version 'does-not-exist' not found");

    const allocate = recovery.split("\n").filter((l) => l.includes("preview-slot-allocate")).join("\n");
    const allocated = await run({ commands: [{ text: allocate }], inputs: { run_id: created.id } });
    expect(allocated.result.ok).toBe(true);
    const slot = /slot_id=(preview-[1-3])/.exec(allocated.output(0))![1];
    const reset = await run({ commands: [{ text: recovery }], inputs: { run_id: created.id, slot_id: slot } });
    expect(reset.result.ok).toBe(true);
    expect(reset.output(0)).toContain(`slot_id=${slot} database=app_preview_${slot.slice(-1)} strategy=seed version=v1`);
  });
});

describe("seed 001 through the agent", { timeout: 90_000 }, () => {
  it("restarts a slot backend with machine-parseable output, and migrates with a dry run first", async () => {
    const { result, output } = await run({
      commands: [
        { text: "./scripts/preview-backend-runtime.sh restart --slot ${slot_id}" },
        { text: "./scripts/preview-backend-runtime.sh status --slot ${slot_id}" },
        { text: "./scripts/preview-slot-migrate.sh --slot ${slot_id} --dry-run" },
        { text: "PREVIEW_BACKEND_DATABASE_URL_TEMPLATE=postgresql://postgres@127.0.0.1:5432/app ./scripts/preview-slot-migrate.sh --slot ${slot_id}", expect: "failure" },
      ],
      inputs: { slot_id: "preview-2" },
    });
    expect(result.ok).toBe(true);
    expect(output(0)).toMatch(/^slot=preview-2 action=restart state=running health=ok http=200 /m);
    expect(output(2)).toContain("result=ok mode=dry-run pending=2");
    expect(output(3)).toContain("unsafe database target");
  });

  it("bring-up runs in the sandbox", async () => {
    const block = seedBlock("001", "## Bring-up");
    const { result, output } = await run({ commands: [{ text: block }] });
    expect(result.ok).toBe(true);
    expect(output(0)).toContain("result=ok active=7");
    expect(fs.existsSync(path.join(stateDir, "systemd/units/ouroboros-api.service"))).toBe(true);
  });
});
