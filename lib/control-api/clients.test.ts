import http from "node:http";
import type { AddressInfo } from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRefenv, type Refenv } from "@/refenv";
import { UpstreamError, ValidationError } from "@/lib/errors";
import { controlApi } from "./index";
import { runtimeApi, RUNTIME_SIGNALS } from "@/lib/runtime-api";

// The typed clients against a real reference environment on ephemeral ports, and against
// sockets that refuse, hang or fail, to prove every failure is a typed, readable error.

let refenv: Refenv;
let stateDir: string;
let hanging: http.Server;
let hangingUrl: string;
let closedUrl: string;

beforeAll(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-clients-"));
  refenv = await startRefenv({ basePort: 0, stateDir, tickMs: 50 });
  hanging = http.createServer(() => undefined); // accepts, never answers
  await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", () => r()));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise<void>((r) => hanging.close(() => r()));
  await refenv.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe("control API client", () => {
  it("creates a run, fails it with AGENT_TIMEOUT and resumes it", async () => {
    const api = controlApi({ baseUrl: refenv.urls["control-api"] });
    expect((await api.health()).status).toBe("ok");
    const run = await api.createRun({ title: "timeout drill", prompt: "simulate timeout", route: "/codex" });
    expect(run.status).toBe("queued");
    const failed = await api.transition(run.id, { to_status: "failed", failure_reason_code: "AGENT_TIMEOUT" });
    expect(failed).toMatchObject({ status: "failed", failure_reason_code: "AGENT_TIMEOUT" });
    const resumed = await api.resume(run.id);
    expect(resumed.status).toBe("queued");
  });

  it("waits for a slot when all three are held, and gets one after a release", async () => {
    const api = controlApi({ baseUrl: refenv.urls["control-api"] });
    const runs = await Promise.all([1, 2, 3, 4].map((n) => api.createRun({ title: `slot ${n}`, prompt: "p", route: "/r" })));
    const results = [];
    for (const run of runs) results.push(await api.acquireSlot(run.id));
    expect(results.slice(0, 3).every((r) => r.acquired)).toBe(true);
    expect(results[3]).toMatchObject({ acquired: false, queueReason: "WAITING_FOR_SLOT" });
    const first = results[0] as { acquired: true; slot: { slot_id: string } };
    const released = await api.releaseSlot(first.slot.slot_id, runs[0].id);
    expect(released.state).toBe("free");
    expect(await api.acquireSlot(runs[3].id)).toMatchObject({ acquired: true });
    expect((await api.listSlots()).slots).toHaveLength(3);
    await api.reapExpired();
  });

  it("turns a 4xx into a typed error carrying the API's own message", async () => {
    const api = controlApi({ baseUrl: refenv.urls["control-api"] });
    const error = await api.transition("no-such-run", { to_status: "failed", failure_reason_code: "AGENT_TIMEOUT" }).catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: "http_4xx", httpStatus: 404 });
    expect(error.message).toMatch(/RUN_NOT_FOUND/);
  });

  it("turns a 5xx burst into a typed 5xx error", async () => {
    refenv.faults.set({ fault: "5xx_burst", on: true, share: 1 });
    try {
      const error = await controlApi({ baseUrl: refenv.urls["control-api"] }).listSlots().catch((e) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({ code: "http_5xx", httpStatus: 503 });
      expect(error.message).toMatch(/control API failed: GET \/api\/slots → HTTP 503/);
    } finally {
      refenv.faults.clear();
    }
  });

  it("says clearly when the API refuses connections", async () => {
    const error = await controlApi({ baseUrl: closedUrl }).health().catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.code).toBe("unreachable");
    expect(error.message).toMatch(/refused the connection/);
  });

  it("gives up after its timeout instead of hanging", async () => {
    const started = Date.now();
    const error = await controlApi({ baseUrl: hangingUrl, timeoutMs: 300 }).health().catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.code).toBe("timeout");
    expect(error.message).toMatch(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("refuses to send a request outside the contract", async () => {
    await expect(controlApi({ baseUrl: refenv.urls["control-api"] }).call({ method: "DELETE", path: "/api/runs" })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("runtime API client", () => {
  it("reads health, the five signals, jobs, audit logs and the DLQ", async () => {
    const api = runtimeApi({ baseUrl: refenv.urls["runtime-api"] });
    expect((await api.healthz()).status).toBe("ok");
    const metrics = await api.metrics();
    for (const name of RUNTIME_SIGNALS) expect(metrics.signals[name], name).not.toBeNull();
    expect(Array.isArray((await api.jobs(5)).jobs)).toBe(true);
    expect(Array.isArray((await api.auditLogs(5)).entries)).toBe(true);
    expect(Array.isArray((await api.dlq()).entries)).toBe(true);
  });

  it("runs the smoke flow: run, inspect, poll, ack", async () => {
    const api = runtimeApi({ baseUrl: refenv.urls["runtime-api"] });
    const job = await api.runJob({ tenant: "smoke", payload: { smoke: true } });
    expect((await api.inspectJob(job.job_id)).job_id).toBe(job.job_id);
    let leased: { job_id: string; lease_id: string } | null = null;
    for (let i = 0; i < 50 && !leased; i++) {
      const polled = await api.poll({ worker_id: "smoke-worker", tenant: "smoke" });
      if ("job" in polled && polled.job) leased = polled.job as { job_id: string; lease_id: string };
    }
    expect(leased).not.toBeNull();
    const acked = await api.ack({ job_id: leased!.job_id, lease_id: leased!.lease_id, outcome: "succeeded", worker_id: "smoke-worker" });
    expect(acked.acked).toBe(true);
  });

  it("reports a failing health check as a typed 5xx", async () => {
    refenv.faults.set({ fault: "failing_health", surface: "runtime-api", on: true });
    try {
      const error = await runtimeApi({ baseUrl: refenv.urls["runtime-api"] }).healthz().catch((e) => e);
      expect(error).toMatchObject({ code: "http_5xx", httpStatus: 503 });
    } finally {
      refenv.faults.clear();
    }
  });
});
