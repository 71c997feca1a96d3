import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stepExecutions } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import { readReferenceFile, registerReference } from "@/lib/environments/reference";
import { chunksAfter, executionDone, startStepExecution } from "@/lib/executions";
import { parseRunbook } from "@/lib/runbooks/parse";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { writeTestAllowlist } from "@/agent/testing";

// `npm start` (scripts/start.mjs) for real, on the production build: the console, the reference
// environment and the host agent are separate children of its supervisor. Killing one must not
// take the others down, and it comes back by itself. The reference environment runs on
// ephemeral ports and the agent on a free one, so this can run beside anything else.
const root = path.resolve(import.meta.dirname, "..", "..");
const port = Number(process.env.SITREP_TEST_START_PORT || 3960);
const base = `http://127.0.0.1:${port}`;

let dir: string;
let dataDir: string;
let start: ChildProcess;
let log = "";

type Child = { name: string; state: string; pid: number | null; restarts: number };
const children = (): Child[] => JSON.parse(fs.readFileSync(path.join(dataDir, "supervisor.json"), "utf8")).children;
const child = (name: string) => children().find((c) => c.name === name)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Whether something accepts connections at the URL's host and port. */
const listening = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    return -1;
  }
}

/** Polls `fn` until it returns true; meanwhile the console must keep answering health and /status. */
async function whileConsoleAnswers(fn: () => Promise<boolean>, ms: number): Promise<{ elapsed: number; answers: number[] }> {
  const started = Date.now();
  const answers: number[] = [];
  while (Date.now() - started < ms) {
    answers.push(await statusOf(`${base}/api/health`), await statusOf(`${base}/status`));
    if (await fn()) return { elapsed: Date.now() - started, answers };
    await sleep(250);
  }
  throw new Error(`not back within ${ms} ms; log:\n${log.slice(-4000)}`);
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build: run `next build` first (npm test does).");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-supervisor-"));
  dataDir = path.join(dir, "data");
  const allowlist = writeTestAllowlist(dir, (json) => {
    json.programs.push({ name: "sleep", positional: [{ pattern: "^[0-9]{1,2}$" }], minPositional: 1 });
  });
  start = spawn(process.execPath, [path.join(root, "scripts", "start.mjs"), "--port", String(port)], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      SITREP_DATA_DIR: dataDir,
      DATABASE_URL: "",
      REFENV_BASE_PORT: "0",
      SITREP_AGENT_PORT: "0",
      SITREP_AGENT_ALLOWLIST: allowlist,
      SITREP_ADMIN_EMAIL: "admin@supervisor.test",
      SITREP_ADMIN_PASSWORD: "supervisor-test-password",
      AUTH_SECRET: "supervisor-test-secret-0123456789abcdef",
    },
  });
  start.stdout!.on("data", (c) => (log += c));
  start.stderr!.on("data", (c) => (log += c));
  const until = Date.now() + 180_000;
  while (!log.includes("Sitrep is running")) {
    if (start.exitCode !== null) throw new Error(`npm start exited (${start.exitCode}):\n${log}`);
    if (Date.now() > until) throw new Error(`npm start did not come up:\n${log}`);
    await sleep(300);
  }
});
afterAll(async () => {
  if (start?.pid && start.exitCode === null) {
    process.kill(-start.pid, "SIGTERM");
    await new Promise((r) => start.once("exit", r));
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm start supervises its processes", () => {
  it("all three run, and health says so", async () => {
    // Once seen here: the agent "restarting" right after start, cause unknown; the log tells next time.
    expect(children().map((c) => [c.name, c.state]), `npm start's output:\n${log.slice(-4000)}`).toEqual([
      ["refenv", "running"],
      ["agent", "running"],
      ["console", "running"],
    ]);
    const health = await (await fetch(`${base}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", processes: { status: "ok", crashLooping: [] } });
  });

  it("killing the reference environment leaves the console answering, and it is back within 10 s", async () => {
    const before = child("refenv");
    process.kill(before.pid!, "SIGKILL");
    const { elapsed, answers } = await whileConsoleAnswers(async () => {
      const now = child("refenv");
      if (now.state !== "running" || now.pid === before.pid) return false;
      const registration = readReferenceFile(dataDir);
      return !!registration && (await statusOf(`${registration.controlBaseUrl}/health`)) === 200;
    }, 10_000);
    expect(elapsed).toBeLessThan(10_000);
    expect(answers.every((s) => s === 200), `health and /status answered ${answers.join(",")}`).toBe(true);
    expect(child("refenv").restarts).toBe(before.restarts + 1);
    expect(log).toMatch(/\[refenv\] exited \(SIGKILL\); restarting in/);
    expect(child("console").state).toBe("running");
  });

  describe("killing the host agent mid-step", () => {
    let database: TestDatabase;
    let responder: Actor;
    let environmentId: string;
    beforeAll(async () => {
      // A console runner in this process, against the supervised agent: the console under test
      // has its own embedded database, which no other process may open.
      database = await createTestDb();
      responder = (await makeUser(database.db, { role: "responder" })).actor;
      // The reference environment restarted above on new ports, so the supervisor restarts the
      // agent for its scripts to follow: wait until that agent listens.
      const until = Date.now() + 20_000;
      for (;;) {
        const url = readReferenceFile(dataDir)?.agent?.url;
        if (child("agent").state === "running" && url && (await listening(url))) break;
        if (Date.now() > until) throw new Error(`the agent did not come back; log:\n${log.slice(-4000)}`);
        await sleep(200);
      }
      const registration = readReferenceFile(dataDir)!;
      environmentId = await registerReference(database.db, registration, fs.readFileSync(path.join(dataDir, "agent-secret"), "utf8").trim());
    });
    afterAll(async () => database?.cleanup());
    const step = (command: string) => parseRunbook(`# Wait\n\n## Wait\n\`\`\`bash\n${command}\n\`\`\`\n`, { fileName: "wait.md" }).steps[0];
    const run = (command: string) => startStepExecution({ actor: responder, db: database.db }, { runbookId: null, runbookSlug: "wait", revisionId: null, step: step(command), environmentId, inputs: {} });
    const row = async (id: string) => (await database.db.select().from(stepExecutions).where(eq(stepExecutions.id, id)))[0];

    it("the step is lost within a second, health stays 200, and a new step succeeds within 10 s", async () => {
      const running = await run("sleep 30");
      const until = Date.now() + 10_000;
      while (Date.now() < until && !(await chunksAfter(database.db, running.id, 0)).some((c) => c.text.includes("$ sleep 30"))) await sleep(50);
      await sleep(200); // the command is spawned on the host
      const before = child("agent");
      const killedAt = Date.now();
      process.kill(before.pid!, "SIGKILL");
      await executionDone(running.id);
      const lostAfter = Date.now() - killedAt;
      const lost = await row(running.id);
      expect(lost.state, `${lost.state}: ${lost.reason}`).toBe("lost");
      expect(lost.reason).toMatch(/Lost contact with host agent/);
      expect(lostAfter).toBeLessThan(1_000);

      const { answers } = await whileConsoleAnswers(async () => {
        const now = child("agent");
        if (now.state !== "running" || now.pid === before.pid) return false;
        const next = await run("sleep 1");
        await executionDone(next.id);
        return (await row(next.id)).state === "succeeded";
      }, 10_000);
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      expect(answers.every((s) => s === 200), `health and /status answered ${answers.join(",")}`).toBe(true);
    });
  });
});
