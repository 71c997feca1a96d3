import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "./auth";
import { AgentRejectedError, createAgentClient, type ExecEvent } from "./client";
import { startAgent, type RunningAgent } from "./index";
import { TEST_AGENT_ID, TEST_SECRET, rawPost, writeTestAllowlist } from "./testing";

// A real agent on an ephemeral port, real child processes. Every refusal is checked to be a
// clear error and to have run nothing: each refused plan starts with a command that would
// create a marker file, and the marker must not exist afterwards.

let agent: RunningAgent;
// Created at load time: the it.each table below needs the path while tests are collected.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-agent-test-"));
let client: ReturnType<typeof createAgentClient>;

beforeAll(async () => {
  const allowlistFile = writeTestAllowlist(dir, (json) => {
    json.maxOutputBytes = 64 * 1024;
    json.programs.push({ name: "sleep", positional: [{ pattern: "^[0-9]{1,2}(\\.[0-9])?$" }], minPositional: 1 });
    json.programs.push({ name: "echo", rest: { pattern: "^[ -~]{0,300}$" } });
    json.placeholders.note = "^[ -~]{0,200}$";
  });
  agent = await startAgent({ agentId: TEST_AGENT_ID, secret: TEST_SECRET, allowlistFile, env: { SITREP_REFENV_STATE: dir } });
  client = createAgentClient({ url: agent.url, agentId: TEST_AGENT_ID, secret: TEST_SECRET });
});
afterAll(async () => {
  await agent?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const marker = (name: string) => path.join(dir, `marker-${name}`);
const makeMarker = (name: string) => ({ text: `mkdir -p ${marker(name)}` });

async function refused(plan: unknown): Promise<AgentRejectedError> {
  const error = await client.exec(plan as never).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentRejectedError);
  return error as AgentRejectedError;
}

describe("authentication", () => {
  it("refuses an unsigned request, and nothing runs", async () => {
    const body = JSON.stringify({ commands: [makeMarker("unsigned")] });
    const res = await rawPost(agent.url, "/v1/exec", body, {});
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({ type: "error", code: "UNSIGNED" });
    expect(fs.existsSync(marker("unsigned"))).toBe(false);
  });

  it("refuses a request signed with the wrong secret or altered after signing", async () => {
    const body = JSON.stringify({ commands: [makeMarker("forged")] });
    const forged = await rawPost(agent.url, "/v1/exec", body, signedHeaders(TEST_AGENT_ID, "another-secret-0123456789", "POST", "/v1/exec", body));
    expect(JSON.parse(forged.text)).toMatchObject({ code: "BAD_SIGNATURE" });
    const headers = signedHeaders(TEST_AGENT_ID, TEST_SECRET, "POST", "/v1/exec", JSON.stringify({ commands: [{ text: "echo harmless" }] }));
    const altered = await rawPost(agent.url, "/v1/exec", body, headers);
    expect(altered.status).toBe(401);
    expect(JSON.parse(altered.text).code).toBe("BAD_SIGNATURE");
    expect(fs.existsSync(marker("forged"))).toBe(false);
  });

  it("refuses a replayed request, and the replay runs nothing", async () => {
    const body = JSON.stringify({ commands: [makeMarker("replay")] });
    const headers = signedHeaders(TEST_AGENT_ID, TEST_SECRET, "POST", "/v1/exec", body);
    const first = await rawPost(agent.url, "/v1/exec", body, headers);
    expect(first.status).toBe(200);
    expect(first.text).toContain('"type":"done","ok":true');
    expect(fs.existsSync(marker("replay"))).toBe(true);
    fs.rmdirSync(marker("replay"));

    const replay = await rawPost(agent.url, "/v1/exec", body, headers);
    expect(replay.status).toBe(401);
    expect(JSON.parse(replay.text)).toMatchObject({ code: "REPLAYED_NONCE" });
    expect(fs.existsSync(marker("replay"))).toBe(false);
  });

  it("refuses a request older than its window", async () => {
    const body = JSON.stringify({ commands: [makeMarker("stale")] });
    const res = await rawPost(agent.url, "/v1/exec", body, signedHeaders(TEST_AGENT_ID, TEST_SECRET, "POST", "/v1/exec", body, Date.now() - 60_000));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({ code: "STALE_REQUEST" });
    expect(JSON.parse(res.text).message).toMatch(/window 30 s/);
    expect(fs.existsSync(marker("stale"))).toBe(false);
  });

  it("answers health unsigned without secrets", async () => {
    const health = await client.health();
    expect(health).toMatchObject({ status: "ok", agentId: TEST_AGENT_ID });
    expect(JSON.stringify(health)).not.toContain(TEST_SECRET);
  });
});

describe("allowlist and placeholders: the whole plan is checked before anything runs", () => {
  it("refuses a command that is not on the allowlist", async () => {
    const error = await refused({ commands: [makeMarker("not-allowed"), { text: "wget http://127.0.0.1:1/x" }] });
    expect(error.agentCode).toBe("NOT_ALLOWED");
    expect(error.message).toContain('program "wget" is not on this host\'s allowlist');
    expect(error.command).toBe(1);
    expect(fs.existsSync(marker("not-allowed"))).toBe(false);
  });

  it("lets the blocklist win and refuses ;rm", async () => {
    const error = await refused({ commands: [{ text: `mkdir -p ${marker("semicolon")};rm -rf /` }] });
    expect(error.agentCode).toBe("BLOCKED");
    expect(error.message).toContain("rm: blocked");
    expect(fs.existsSync(marker("semicolon"))).toBe(false);
  });

  it("refuses a placeholder value carrying ; rm -rf /", async () => {
    const error = await refused({
      commands: [makeMarker("placeholder-rm"), { text: "./scripts/preview-backend-runtime.sh status --slot ${slot_id}" }],
      inputs: { slot_id: "preview-1; rm -rf /" },
    });
    expect(error.agentCode).toBe("INVALID_INPUT");
    expect(error.message).toContain('input "slot_id"');
    expect(fs.existsSync(marker("placeholder-rm"))).toBe(false);
  });

  it("refuses a placeholder value carrying $(…)", async () => {
    const error = await refused({
      commands: [makeMarker("placeholder-subst"), { text: './scripts/rollback.sh "${release_id}"' }],
      inputs: { release_id: `$(mkdir ${marker("subst-inner")})` },
    });
    expect(error.agentCode).toBe("INVALID_INPUT");
    expect(fs.existsSync(marker("placeholder-subst"))).toBe(false);
    expect(fs.existsSync(marker("subst-inner"))).toBe(false);
  });

  it("passes an accepted value as exactly one argument, never re-parsed", async () => {
    const events: ExecEvent[] = [];
    const value = `$(mkdir ${marker("never")}); \`id\` *`;
    const result = await client.exec({ commands: [{ text: 'echo "${note}"' }], inputs: { note: value } }, (e) => events.push(e));
    expect(result.ok).toBe(true);
    expect(events.find((e) => e.type === "spawn")).toMatchObject({ argv: ["echo", value] });
    expect(events.filter((e) => e.type === "stdout").map((e) => (e as { data: string }).data).join("")).toBe(value + "\n");
    expect(fs.existsSync(marker("never"))).toBe(false);
  });

  it.each([
    ["command substitution", `echo $(mkdir ${marker("syntax")})`, "UNSUPPORTED_SYNTAX", /command substitution/],
    ["backticks", `echo \`mkdir ${marker("syntax")}\``, "UNSUPPORTED_SYNTAX", /command substitution/],
    ["&&", `mkdir -p ${marker("syntax")} && echo hi`, "UNSUPPORTED_SYNTAX", /&& and \|\|/],
    ["a subshell", `(mkdir -p ${marker("syntax")})`, "UNSUPPORTED_SYNTAX", /subshells/],
    ["eval", `eval "mkdir ${marker("syntax")}"`, "BLOCKED", /eval runs arbitrary text/],
    ["a glob", `cat ${dir}/*`, "UNSUPPORTED_SYNTAX", /glob/],
    ["a redirect outside the writable directories", "echo hi > /tmp/sitrep-agent-escape", "NOT_ALLOWED", /outside the writable directories/],
    ["a path escaping through ..", `cat ${dir}/../../etc/passwd`, "BLOCKED", /traversal/],
    ["an undefined variable", 'mkdir -p "$NOT_SET"', "UNDEFINED_VARIABLE", /NOT_SET is not set/],
    ["an env prefix not allowed", `LD_PRELOAD=/x mkdir -p ${marker("syntax")}`, "NOT_ALLOWED", /LD_PRELOAD/],
    ["curl to another host", "curl -fsS http://10.0.0.1:8000/health", "NOT_ALLOWED", /does not match/],
    ["curl reading a local file", "curl -d @/etc/passwd http://127.0.0.1:8000/api/runs", "NOT_ALLOWED", /value of -d/],
    ["cat of a system file", "cat /etc/passwd", "BLOCKED", /system paths/],
  ])("refuses %s with a clear error", async (_label, text, code, message) => {
    const error = await refused({ commands: [makeMarker("syntax-first"), { text }] });
    expect(error.agentCode).toBe(code);
    expect(error.message).toMatch(message);
    expect(fs.existsSync(marker("syntax-first"))).toBe(false);
    expect(fs.existsSync(marker("syntax"))).toBe(false);
  });
});

describe("plan check", () => {
  it("answers what exactly would run, without running it", async () => {
    const checked = await client.check({
      commands: [{ text: `D=${dir}/checked\nmkdir -p "$D"` }, { text: "./scripts/preview-backend-runtime.sh status --slot ${slot_id}" }],
      inputs: { slot_id: "preview-3" },
    });
    expect(checked.commands.map((c) => c.pipelines.map((p) => p.map((s) => s.argv)))).toEqual([
      [[["mkdir", "-p", `${dir}/checked`]]],
      [[["./scripts/preview-backend-runtime.sh", "status", "--slot", "preview-3"]]],
    ]);
    expect(fs.existsSync(path.join(dir, "checked"))).toBe(false);
    await expect(client.check({ commands: [{ text: "rm -rf /" }] })).rejects.toMatchObject({ agentCode: "BLOCKED" });
  });
});

describe("execution", () => {
  it("streams output, shares variables across commands, writes redirects and stops at the first unmet expectation", async () => {
    const events: ExecEvent[] = [];
    const result = await client.exec(
      {
        commands: [
          { text: `OUT=${dir}/out\nmkdir -p "$OUT" # comment\nprintf 'commit_sha=%s\\n' "\${known_commit}" > "$OUT/.deploy-meta"\ncat "$OUT/.deploy-meta" | tail -n 1` },
          { text: "DEPLOY_ROOT=\"$OUT\" ./scripts/rollback.sh missing-release-id", expect: "failure" },
          { text: "DEPLOY_ROOT=\"$OUT\" ./scripts/rollback.sh missing-release-id" },
          makeMarker("after-unmet"),
        ],
        inputs: { known_commit: "abc123" },
      },
      (e) => events.push(e),
    );
    expect(result.ok).toBe(false);
    expect(fs.readFileSync(path.join(dir, "out/.deploy-meta"), "utf8")).toBe("commit_sha=abc123\n");
    const stdout = events.filter((e) => e.type === "stdout" && e.command === 0).map((e) => (e as { data: string }).data).join("");
    expect(stdout).toBe("commit_sha=abc123\n");
    const exits = events.filter((e) => e.type === "exit") as Extract<ExecEvent, { type: "exit" }>[];
    expect(exits.map((e) => [e.command, e.code === 0, e.met])).toEqual([
      [0, true, true],
      [1, false, true],
      [2, false, false],
    ]);
    expect(events.filter((e) => e.type === "stderr" && e.command === 1).map((e) => (e as { data: string }).data).join("")).toContain("not found");
    expect(events.at(-1)).toMatchObject({ type: "done", ok: false });
    expect(fs.existsSync(marker("after-unmet"))).toBe(false);
  });

  it("fails a statement whose redirect target cannot be written", async () => {
    const events: ExecEvent[] = [];
    const result = await client.exec({ commands: [{ text: `echo hi > ${dir}/no-such-dir/out` }] }, (e) => events.push(e));
    expect(result.ok).toBe(false);
    expect(events.find((e) => e.type === "exit")).toMatchObject({ code: 1, met: false });
    expect(events.filter((e) => e.type === "stderr").map((e) => (e as { data: string }).data).join("")).toContain("cannot write");
  });

  it("cancels a running execution and kills its process group", async () => {
    const started = Date.now();
    const events: ExecEvent[] = [];
    let execId = "";
    const result = await client.exec({ commands: [{ text: "sleep 20" }] }, (e) => {
      events.push(e);
      if (e.type === "accepted") execId = e.execId;
      if (e.type === "spawn") void client.cancel(execId);
    });
    expect(result).toMatchObject({ ok: false, reason: "cancelled" });
    expect(Date.now() - started).toBeLessThan(15_000); // the command would sleep 20 s
    expect(events.find((e) => e.type === "exit")).toMatchObject({ signal: "SIGTERM", met: false, reason: "cancelled" });
  });

  it("reports cancelled executions as done when the agent stops gracefully", async () => {
    const other = await startAgent({ agentId: TEST_AGENT_ID, secret: TEST_SECRET, allowlistFile: agent.allowlist.file, env: { SITREP_REFENV_STATE: dir } });
    const otherClient = createAgentClient({ url: other.url, agentId: TEST_AGENT_ID, secret: TEST_SECRET });
    let stopping: Promise<void> | null = null;
    const result = await otherClient.exec({ commands: [{ text: "sleep 20" }] }, (e) => {
      if (e.type === "spawn") stopping = other.stop();
    });
    expect(result).toMatchObject({ ok: false, reason: "cancelled" });
    await stopping;
  });

  it("closes the stream and cancels the execution when the event consumer throws", async () => {
    const started = Date.now();
    const failure = await client
      .exec({ commands: [{ text: "sleep 20" }, makeMarker("after-consumer-error")] }, (e) => {
        if (e.type === "spawn") throw new Error("consumer broke");
      })
      .catch((e: Error) => e);
    expect((failure as Error).message).toBe("consumer broke");
    expect(Date.now() - started).toBeLessThan(15_000);
    for (let i = 0; i < 50 && (await client.health()).running > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await client.health()).running).toBe(0);
    expect(fs.existsSync(marker("after-consumer-error"))).toBe(false);
  });

  it("stops a plan at its timeout", async () => {
    const result = await client.exec({ commands: [{ text: "sleep 20" }], timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, reason: "timeout" });
    expect(result.durationMs).toBeLessThan(15_000); // the command would sleep 20 s
  });

  it("stops a command that exceeds the output limit", async () => {
    fs.writeFileSync(path.join(dir, "big.txt"), "x".repeat(200 * 1024));
    let bytes = 0;
    const result = await client.exec({ commands: [{ text: `cat ${dir}/big.txt` }] }, (e) => {
      if (e.type === "stdout") bytes += Buffer.byteLength(e.data);
    });
    expect(result).toMatchObject({ ok: false, reason: "output_limit" });
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
  });
});
