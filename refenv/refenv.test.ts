import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN_HEADER, startRefenv, type Refenv } from "./index";

// Integration tests against a real reference environment on ephemeral ports.

let env: Refenv;
let stateDir: string;
const ADMIN = "test-admin-token";

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-refenv-test-"));
  env = await startRefenv({ basePort: 0, adminToken: ADMIN, stateDir, tickMs: 20, slotLeaseTtlMs: 60_000, seed: 7 });
});
afterAll(async () => {
  await env?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

async function call(surface: keyof Refenv["urls"], method: string, p: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${env.urls[surface]}${p}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}
const control = (method: string, p: string, body?: unknown) => call("control-api", method, p, body);
const runtime = (method: string, p: string, body?: unknown) => call("runtime-api", method, p, body);
const faults = (body: unknown) => call("control-api", "POST", "/__faults", body, { [ADMIN_TOKEN_HEADER]: ADMIN });

async function newRun(title = "drill") {
  const res = await control("POST", "/api/runs", { title, prompt: "simulate", route: "/codex" });
  expect(res.status).toBe(201);
  return res.json as { id: string; status: string };
}

function metric(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(name + " ") || l.startsWith(name + "{"));
  if (!line) throw new Error(`metric ${name} missing`);
  return Number(line.split(" ").pop());
}
async function metrics() {
  return (await runtime("GET", "/metrics")).json as string;
}
// fetch() cannot set Host; Caddy routes by it, so use node:http here.
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on("error", reject);
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds, so timing-dependent signals do not make the tests flaky on a busy machine. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

describe("control API: runs", () => {
  it("creates a run, fails it with AGENT_TIMEOUT and resumes it", async () => {
    const run = await newRun("timeout drill");
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.status).toBe("queued");

    const failed = await control("POST", `/api/runs/${run.id}/transition`, { to_status: "failed", failure_reason_code: "AGENT_TIMEOUT" });
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({ status: "failed", failure_reason_code: "AGENT_TIMEOUT" });

    const resumed = await control("POST", `/api/runs/${run.id}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.json).toMatchObject({ status: "queued", failure_reason_code: null, attempt: 2 });
    expect((await control("GET", `/api/runs/${run.id}`)).json.events.map((e: { type: string }) => e.type)).toEqual(["created", "transition", "resumed"]);
  });

  it("refuses unknown failure codes, missing codes, invalid transitions and resuming a healthy run", async () => {
    const run = await newRun();
    const unknown = await control("POST", `/api/runs/${run.id}/transition`, { to_status: "failed", failure_reason_code: "OOPS" });
    expect(unknown.status).toBe(422);
    expect(unknown.json).toMatchObject({ error: "UNKNOWN_FAILURE_REASON" });
    expect((await control("POST", `/api/runs/${run.id}/transition`, { to_status: "failed" })).json.error).toBe("FAILURE_REASON_REQUIRED");
    const skip = await control("POST", `/api/runs/${run.id}/transition`, { to_status: "merged" });
    expect(skip.status).toBe(409);
    expect(skip.json).toMatchObject({ error: "INVALID_TRANSITION", from: "queued", to: "merged" });
    expect((await control("POST", `/api/runs/${run.id}/resume`, {})).status).toBe(409);
    expect((await control("GET", "/api/runs/00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect((await control("POST", "/api/runs", { title: "x" })).json).toMatchObject({ error: "VALIDATION_FAILED", field: "prompt" });
  });
});

describe("control API: preview slots", () => {
  it("makes the fourth run wait with WAITING_FOR_SLOT until a slot is released", async () => {
    const runs = [await newRun("a"), await newRun("b"), await newRun("c"), await newRun("d")];
    const acquired = [];
    for (const run of runs.slice(0, 3)) {
      const res = await control("POST", "/api/slots/acquire", { run_id: run.id });
      expect(res.status).toBe(200);
      acquired.push(res.json as { slot_id: string; run_id: string });
    }
    expect(new Set(acquired.map((s) => s.slot_id))).toEqual(new Set(["preview-1", "preview-2", "preview-3"]));

    const fourth = await control("POST", "/api/slots/acquire", { run_id: runs[3].id });
    expect(fourth.json).toMatchObject({ queue_reason: "WAITING_FOR_SLOT", run_id: runs[3].id, position: 1 });

    const wrongRun = await control("POST", `/api/slots/${acquired[0].slot_id}/release`, { run_id: runs[3].id });
    expect(wrongRun.status).toBe(409);
    const released = await control("POST", `/api/slots/${acquired[0].slot_id}/release`, { run_id: runs[0].id });
    expect(released.json).toMatchObject({ state: "free", run_id: null });

    const retry = await control("POST", "/api/slots/acquire", { run_id: runs[3].id });
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ slot_id: acquired[0].slot_id, state: "leased", run_id: runs[3].id });
    expect((await control("GET", "/api/slots")).json.waiting).toEqual([]);

    for (const [i, run] of [runs[1], runs[2], runs[3]].entries()) {
      const slot = [acquired[1], acquired[2], { slot_id: acquired[0].slot_id }][i].slot_id;
      expect((await control("POST", `/api/slots/${slot}/release`, { run_id: run.id })).status).toBe(200);
    }
  });

  it("expires leases after the TTL; reap-expired frees them", async () => {
    const short = await startRefenv({ basePort: 0, adminToken: ADMIN, stateDir, slotLeaseTtlMs: 50, tickMs: 1000 });
    try {
      const run = (await (await fetch(`${short.urls["control-api"]}/api/runs`, { method: "POST", body: JSON.stringify({ title: "t", prompt: "p", route: "/" }) })).json()) as { id: string };
      await fetch(`${short.urls["control-api"]}/api/slots/acquire`, { method: "POST", body: JSON.stringify({ run_id: run.id }) });
      await sleep(80);
      const listed = (await (await fetch(`${short.urls["control-api"]}/api/slots`)).json()) as { slots: { expired: boolean; state: string }[] };
      expect(listed.slots.filter((s) => s.expired)).toHaveLength(1);
      const reaped = (await (await fetch(`${short.urls["control-api"]}/api/slots/reap-expired`, { method: "POST" })).json()) as { reaped: string[]; slots: { state: string }[] };
      expect(reaped.reaped).toEqual(["preview-1"]);
      expect(reaped.slots.every((s) => s.state === "free")).toBe(true);
    } finally {
      await short.stop();
    }
  });
});

describe("runtime API", () => {
  it("serves healthz, metrics moving with the simulated load, jobs, audit logs and the DLQ", async () => {
    await sleep(200);
    expect((await runtime("GET", "/healthz")).json).toMatchObject({ status: "ok" });
    const text = await metrics();
    for (const name of ["oris_runtime_queue_depth", "oris_runtime_lease_conflict_rate", "oris_runtime_recovery_latency_ms", "oris_runtime_terminal_error_rate"]) {
      expect(Number.isFinite(metric(text, name))).toBe(true);
    }
    expect(text).toContain('oris_runtime_backpressure_total{reason="worker_limit"}');
    expect(text).toContain('oris_runtime_backpressure_total{reason="tenant_limit"}');
    expect(metric(text, 'oris_runtime_jobs_completed_total{outcome="succeeded"}')).toBeGreaterThan(0);
    const jobs = await runtime("GET", "/v1/jobs?limit=5");
    expect(jobs.json.jobs).toHaveLength(5);
    expect((await runtime("GET", "/v1/jobs?limit=0")).status).toBe(422);
    expect((await runtime("GET", "/v1/audit/logs?limit=20")).status).toBe(200);
    expect(Array.isArray((await runtime("GET", "/v1/dlq")).json.entries)).toBe(true);
  });

  it("runs the smoke flow: run → inspect → poll → ack", async () => {
    const run = await runtime("POST", "/v1/jobs/run", { tenant: "smoke", payload: { check: true } });
    expect(run.status).toBe(201);
    const jobId = run.json.job_id;
    expect((await runtime("GET", `/v1/jobs/${jobId}`)).json).toMatchObject({ status: "queued" });
    const polled = await runtime("POST", "/v1/workers/poll", { worker_id: "smoke-worker", tenant: "smoke" });
    expect(polled.json.job).toMatchObject({ job_id: jobId, status: "leased" });
    const wrong = await runtime("POST", "/v1/workers/ack", { job_id: jobId, lease_id: "not-the-lease" });
    expect(wrong.status).toBe(409);
    const acked = await runtime("POST", "/v1/workers/ack", { job_id: jobId, lease_id: polled.json.job.lease_id });
    expect(acked.json).toMatchObject({ acked: true, job: { status: "succeeded" } });
    expect((await runtime("POST", "/v1/workers/poll", { tenant: "smoke" })).json).toEqual({ noop: true, reason: "no_jobs" });
    const audit = (await runtime("GET", "/v1/audit/logs?limit=50")).json.entries.map((e: { action: string; target: string }) => `${e.action}:${e.target}`);
    expect(audit).toEqual(expect.arrayContaining([`job.run:${jobId}`, `worker.poll:${jobId}`, `worker.ack:${jobId}`]));
  });
});

describe("fault switches", () => {
  it("need the admin token", async () => {
    expect((await call("control-api", "GET", "/__faults")).status).toBe(401);
    expect((await call("control-api", "POST", "/__faults", { fault: "slot_leak" }, { [ADMIN_TOKEN_HEADER]: "wrong" })).status).toBe(401);
    expect((await faults({ fault: "no_such_fault" })).json.error).toBe("UNKNOWN_FAULT");
  });

  it("stalled_queue: queue depth grows, poll returns noop, recovery latency climbs; clearing restores dispatch", async () => {
    await faults({ fault: "stalled_queue", on: true });
    try {
      const before = metric(await metrics(), "oris_runtime_queue_depth");
      const latencyBefore = metric(await metrics(), "oris_runtime_recovery_latency_ms");
      await eventually(async () => metric(await metrics(), "oris_runtime_queue_depth") > before + 10);
      const completed = metric(await metrics(), 'oris_runtime_jobs_completed_total{outcome="succeeded"}');
      await sleep(200);
      expect(metric(await metrics(), 'oris_runtime_jobs_completed_total{outcome="succeeded"}')).toBe(completed);
      // Stuck leases expire and their jobs wait for a worker that never comes.
      await eventually(async () => metric(await metrics(), "oris_runtime_recovery_latency_ms") > latencyBefore + 200);
      await runtime("POST", "/v1/jobs/run", { tenant: "stall" });
      expect((await runtime("POST", "/v1/workers/poll", { tenant: "stall" })).json).toEqual({ noop: true, reason: "dispatch_stalled" });
      expect((await call("worker", "GET", "/health")).json).toMatchObject({ status: "ok", dispatching: false });
      expect((await runtime("GET", "/healthz")).json.dispatching).toBe(false);
    } finally {
      await faults({ fault: "stalled_queue", on: false });
    }
    const stalledDepth = metric(await metrics(), "oris_runtime_queue_depth");
    await eventually(async () => metric(await metrics(), "oris_runtime_queue_depth") < stalledDepth);
  });

  it("failing_health:<surface> makes exactly that surface's health check fail", async () => {
    await faults({ fault: "failing_health:worker", on: true });
    try {
      expect((await call("worker", "GET", "/health")).status).toBe(503);
      expect((await call("control-api", "GET", "/health")).status).toBe(200);
    } finally {
      await faults({ fault: "failing_health", surface: "worker", on: false });
    }
    expect((await call("worker", "GET", "/health")).status).toBe(200);

    await faults({ fault: "failing_health", surface: "runtime-api", on: true });
    expect((await runtime("GET", "/healthz")).status).toBe(503);
    await faults({ fault: "failing_health", surface: "slot-backend-preview-2", on: true });
    expect((await call("slot-backend-preview-2", "GET", "/health")).status).toBe(503);
    // The preview's slot-local API is wired to its backend, so it fails too.
    expect((await call("web-preview-2", "GET", "/api/health")).status).toBe(502);
    await faults({ clear: true });
    expect((await runtime("GET", "/healthz")).status).toBe(200);
    expect((await call("web-preview-2", "GET", "/api/health")).status).toBe(200);
    expect(await statusWithHost(env.urls.caddy + "/health", "app.example.com")).toBe(200);
    expect(await statusWithHost(env.urls.caddy + "/health", "unknown.example.com")).toBe(404);
    await faults({ fault: "failing_health:caddy", on: true });
    expect(await statusWithHost(env.urls.caddy + "/health", "app.example.com")).toBe(503);
    await faults({ clear: true });
  });

  it("5xx_burst: a share of /v1/jobs and /api requests answer 503 and the 5xx counter moves", async () => {
    const before = metric(await metrics(), "oris_runtime_http_5xx_total");
    await faults({ fault: "5xx_burst", on: true, share: 0.5 });
    try {
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await runtime("GET", "/v1/jobs?limit=1")).status);
      expect(statuses.filter((s) => s === 503)).toHaveLength(3);
      expect(statuses.filter((s) => s === 200)).toHaveLength(3);
      const controlStatuses = [];
      for (let i = 0; i < 4; i++) controlStatuses.push((await control("GET", "/api/slots")).status);
      expect(controlStatuses).toContain(503);
      expect((await runtime("GET", "/healthz")).status).toBe(200);
    } finally {
      await faults({ fault: "5xx_burst", on: false });
    }
    expect(metric(await metrics(), "oris_runtime_http_5xx_total")).toBeGreaterThanOrEqual(before + 3);
  });

  it("slot_leak: a release is acknowledged but the slot stays held until reap-expired", async () => {
    const run = await newRun("leak");
    const slot = (await control("POST", "/api/slots/acquire", { run_id: run.id })).json.slot_id;
    await faults({ fault: "slot_leak", on: true });
    try {
      const released = await control("POST", `/api/slots/${slot}/release`, { run_id: run.id });
      expect(released.status).toBe(200);
      expect(released.json).toMatchObject({ state: "leased", release_pending: true });
      const reaped = await control("POST", "/api/slots/reap-expired");
      expect(reaped.json.reaped).toContain(slot);
    } finally {
      await faults({ fault: "slot_leak", on: false });
    }
    expect((await control("GET", "/api/slots")).json.slots.find((s: { slot_id: string }) => s.slot_id === slot).state).toBe("free");
  });

  it("terminal_error_spike: terminal error rate rises and the DLQ grows; a DLQ entry can be replayed", async () => {
    const before = metric(await metrics(), "oris_runtime_terminal_error_rate");
    const dlqBefore = (await runtime("GET", "/v1/dlq")).json.entries.length;
    await faults({ fault: "terminal_error_spike", on: true });
    try {
      await eventually(async () => metric(await metrics(), "oris_runtime_terminal_error_rate") > Math.max(before, 0.1));
      await eventually(async () => (await runtime("GET", "/v1/dlq")).json.entries.length > dlqBefore + 3);
      const dlq = (await runtime("GET", "/v1/dlq")).json.entries;
      const replay = await runtime("POST", `/v1/dlq/${dlq[0].job_id}/replay`, {});
      expect(replay.json).toMatchObject({ replayed: true, job: { status: "queued" } });
    } finally {
      await faults({ fault: "terminal_error_spike", on: false });
    }
    expect((await runtime("GET", "/v1/audit/logs?limit=200")).json.entries.some((e: { action: string }) => e.action === "fault.set")).toBe(true);
  });
});

describe("standalone process", () => {
  it("starts from refenv/main.ts on ephemeral ports and reports its URLs", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "main.ts")], {
      env: { ...process.env, REFENV_BASE_PORT: "0", SITREP_REFENV_STATE: stateDir, REFENV_ADMIN_TOKEN: ADMIN },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buffer = "";
        child.stdout.on("data", (c: Buffer) => {
          buffer += c.toString();
          if (buffer.includes("\n")) resolve(buffer.split("\n")[0]);
        });
        child.on("exit", (code) => reject(new Error(`refenv exited early with ${code}`)));
      });
      const started = JSON.parse(line) as { event: string; urls: Record<string, string>; adminToken?: string };
      expect(started.event).toBe("refenv.started");
      expect(started.adminToken).toBeUndefined();
      expect((await fetch(`${started.urls["control-api"]}/health`)).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
