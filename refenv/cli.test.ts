import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_AGENT_ID, TEST_SECRET } from "../agent/testing";
import { startReferenceStack, type ReferenceStack } from "./stack";

// `sitrep refenv fault` against a running stack, through bin/sitrep.mjs.

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, "../bin/sitrep.mjs");
let stack: ReferenceStack;
let stateDir: string;

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-refenv-cli-"));
  stack = await startReferenceStack({ basePort: 0, adminToken: "cli-admin", stateDir, agent: { agentId: TEST_AGENT_ID, secret: TEST_SECRET } });
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

// One spawn only: loading the whole CLI takes seconds on a busy machine.
it("flips a fault switch through the CLI with the admin token", { timeout: 90_000 }, async () => {
  const url = stack.refenv.urls["control-api"];
  const { stdout } = await run(process.execPath, [bin, "refenv", "fault", "failing_health:worker", "--url", url, "--json"], {
    env: { ...process.env, REFENV_ADMIN_TOKEN: "cli-admin" },
  });
  expect(JSON.parse(stdout).faults.failing_health).toEqual(["worker"]);
  expect(stack.refenv.faults.list().failing_health).toEqual(["worker"]);
});
