import type { Faults } from "./faults";
import { HttpError, Router, limitParam, optionalString, readJson, requireString, sendJson, sendText, type Req } from "./http";
import type { RuntimeState } from "./runtime";

// HTTP routes of the runtime API (seed 002): health, metrics, jobs, the smoke flow, audit, DLQ.

export function runtimeRoutes(router: Router, state: RuntimeState, faults: Faults, operatorToken: string | undefined) {
  const requireOperator = (req: Req) => {
    if (!operatorToken) return;
    if (req.headers.authorization !== `Bearer ${operatorToken}`) {
      throw new HttpError(401, "OPERATOR_AUTH_REQUIRED", "this endpoint needs an operator token: Authorization: Bearer <token>");
    }
  };
  router
    .on("GET", "/healthz", (_req, res) => {
      if (faults.healthFailing("runtime-api")) {
        state.count5xx();
        sendJson(res, 503, { status: "unavailable", error: "BACKEND_HEALTH_CHECK_FAILED", message: "persistence backend health check failed" });
        return;
      }
      sendJson(res, 200, { status: "ok", queue_depth: state.queueDepth(), dispatching: state.dispatching() });
    })
    .on("GET", "/metrics", (_req, res) => sendText(res, 200, state.metricsText(), "text/plain; version=0.0.4; charset=utf-8"))
    .on("GET", "/v1/jobs", (req, res) => sendJson(res, 200, { jobs: state.listJobs(limitParam(req, 20, 500)) }))
    .on("POST", "/v1/jobs/run", async (req, res) => {
      const body = await readJson(req);
      const job = state.runJob({ tenant: optionalString(body, "tenant"), thread_id: optionalString(body, "thread_id"), payload: body.payload });
      sendJson(res, 201, job);
    })
    .on("GET", "/v1/jobs/{id}", (_req, res, p) => sendJson(res, 200, state.getJob(p.id)))
    .on("POST", "/v1/workers/poll", async (req, res) => {
      const body = await readJson(req);
      const result = state.poll(optionalString(body, "worker_id") ?? "operator-worker", optionalString(body, "tenant"));
      sendJson(res, 200, result);
    })
    .on("POST", "/v1/workers/ack", async (req, res) => {
      const body = await readJson(req);
      const outcome = optionalString(body, "outcome") ?? "succeeded";
      if (outcome !== "succeeded" && outcome !== "failed") {
        throw new HttpError(422, "VALIDATION_FAILED", `"outcome" must be "succeeded" or "failed"`, { field: "outcome" });
      }
      const job = state.ack({
        job_id: requireString(body, "job_id", 100),
        lease_id: requireString(body, "lease_id", 100),
        outcome,
        error: optionalString(body, "error"),
        workerId: optionalString(body, "worker_id") ?? "operator-worker",
      });
      sendJson(res, 200, { acked: true, job });
    })
    .on("GET", "/v1/audit/logs", (req, res) => {
      requireOperator(req);
      sendJson(res, 200, { entries: state.auditLogs(limitParam(req, 50, 1000)) });
    })
    .on("GET", "/v1/dlq", (req, res) => {
      requireOperator(req);
      sendJson(res, 200, { entries: state.listDlq() });
    })
    .on("POST", "/v1/dlq/{id}/replay", async (req, res, p) => {
      requireOperator(req);
      await readJson(req);
      sendJson(res, 200, { replayed: true, job: state.replay(p.id) });
    });
}
