import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AgentLostError, AgentUnreachableError, createAgentClient } from "./client";
import { TEST_AGENT_ID, TEST_SECRET, writeTestAllowlist } from "./testing";

// The agent runs as its own process (agent/main.ts); killing it mid-step must surface as
// AgentLostError in the client, not as a hang.

let dir: string;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-agent-lost-"));
  const allowlistFile = writeTestAllowlist(dir, (json) => {
    json.programs.push({ name: "sleep", positional: [{ pattern: "^[0-9]{1,2}$" }], minPositional: 1 });
  });
  child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "main.ts")], {
    env: {
      ...process.env,
      SITREP_AGENT_ID: TEST_AGENT_ID,
      SITREP_AGENT_SECRET: TEST_SECRET,
      SITREP_AGENT_PORT: "0",
      SITREP_AGENT_ALLOWLIST: allowlistFile,
      SITREP_REFENV_STATE: dir,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n").find((l) => l.includes('"agent.started"'));
      if (line) resolve(JSON.parse(line).url);
    });
    child.on("exit", (code) => reject(new Error(`agent exited early with ${code}`)));
  });
});
afterAll(() => {
  if (child.exitCode === null) child.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

it("raises AgentLostError when the agent process dies mid-step, and AgentUnreachableError afterwards", async () => {
  const client = createAgentClient({ url, agentId: TEST_AGENT_ID, secret: TEST_SECRET });
  const seen: string[] = [];
  const started = Date.now();
  const outcome = await client
    .exec({ commands: [{ text: "sleep 3" }] }, (event) => {
      seen.push(event.type);
      if (event.type === "spawn") child.kill("SIGKILL");
    })
    .then(
      () => null,
      (error: unknown) => error,
    );
  expect(outcome).toBeInstanceOf(AgentLostError);
  expect((outcome as AgentLostError).code).toBe("lost");
  expect((outcome as AgentLostError).execId).toMatch(/^[0-9a-f-]{36}$/);
  expect((outcome as Error).message).toMatch(/mid-execution/);
  expect(seen).toEqual(["accepted", "start", "spawn"]);
  expect(Date.now() - started).toBeLessThan(10_000); // far below the idle timeout: detected, not timed out

  await expect(client.health()).rejects.toBeInstanceOf(AgentUnreachableError);
});
