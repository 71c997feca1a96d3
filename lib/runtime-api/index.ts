import "server-only";
import parsePrometheus from "parse-prometheus-text-format";
import { z } from "zod";
import { UpstreamError } from "@/lib/errors";
import { callOperation, ensureOk, parseBody, send, type Operation, type UpstreamTarget } from "@/lib/control-api/upstream";

// Typed client for the job runtime's API (seed 002): health, Prometheus metrics, jobs, audit logs,
// DLQ and the smoke flow run → inspect → worker poll → worker ack.

export const RUNTIME_SIGNALS = [
  "oris_runtime_queue_depth",
  "oris_runtime_lease_conflict_rate",
  "oris_runtime_recovery_latency_ms",
  "oris_runtime_backpressure_total",
  "oris_runtime_terminal_error_rate",
] as const;

export const healthzSchema = z.looseObject({ status: z.string() });
export const jobSchema = z.looseObject({ job_id: z.string().min(1), status: z.string() });
export const jobsSchema = z.looseObject({ jobs: z.array(jobSchema) });
export const pollSchema = z.union([z.looseObject({ job: jobSchema.extend({ lease_id: z.string().min(1) }) }), z.looseObject({ noop: z.literal(true), reason: z.string() })]);
export const ackSchema = z.looseObject({ acked: z.literal(true), job: jobSchema });
export const auditLogsSchema = z.looseObject({ entries: z.array(z.looseObject({ action: z.string() })) });
export const dlqSchema = z.looseObject({ entries: z.array(z.looseObject({ job_id: z.string() })) });

export type Job = z.infer<typeof jobSchema>;
export type MetricSample = { name: string; labels: Record<string, string>; value: number };

const ID = "[^/?#]+";
export const runtimeOperations: Operation[] = [
  { name: "healthz", method: "GET", pattern: /^\/healthz$/, schema: healthzSchema },
  { name: "metrics", method: "GET", pattern: /^\/metrics$/, schema: null },
  { name: "jobs.list", method: "GET", pattern: /^\/v1\/jobs$/, schema: jobsSchema },
  { name: "jobs.run", method: "POST", pattern: /^\/v1\/jobs\/run$/, schema: jobSchema },
  { name: "jobs.get", method: "GET", pattern: new RegExp(`^/v1/jobs/${ID}$`), schema: jobSchema },
  { name: "workers.poll", method: "POST", pattern: /^\/v1\/workers\/poll$/, schema: pollSchema },
  { name: "workers.ack", method: "POST", pattern: /^\/v1\/workers\/ack$/, schema: ackSchema },
  { name: "audit.logs", method: "GET", pattern: /^\/v1\/audit\/logs$/, schema: auditLogsSchema },
  { name: "dlq.list", method: "GET", pattern: /^\/v1\/dlq$/, schema: dlqSchema },
  { name: "dlq.replay", method: "POST", pattern: new RegExp(`^/v1/dlq/${ID}/replay$`), schema: z.looseObject({ job: jobSchema }) },
];

/** Prometheus text → samples; refuses text that is not Prometheus exposition format. */
export function parseMetrics(target: UpstreamTarget, text: string): MetricSample[] {
  let families: { name: string; metrics: { value?: string; labels?: Record<string, string> }[] }[];
  try {
    families = parsePrometheus(text) as typeof families;
  } catch (error) {
    throw new UpstreamError(`The ${target.name} sent /metrics that are not Prometheus text (${(error as Error).message}).`, target.name, "invalid_response");
  }
  return families.flatMap((f) => f.metrics.map((m) => ({ name: f.name, labels: m.labels ?? {}, value: Number(m.value) })));
}

export type RuntimeApiOptions = { baseUrl: string; timeoutMs?: number; operatorToken?: string | null };

export function runtimeApi(options: RuntimeApiOptions) {
  const target: UpstreamTarget = {
    name: "runtime API",
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    headers: options.operatorToken ? { authorization: `Bearer ${options.operatorToken}` } : undefined,
  };
  const request = async <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown) => {
    const req = { method, path, body };
    return parseBody(target, req, ensureOk(target, req, await send(target, req)), schema);
  };
  const limit = (n: number) => `limit=${Math.max(1, Math.min(1000, Math.trunc(n)))}`;
  return {
    target,
    healthz: () => request("GET", "/healthz", healthzSchema),
    metrics: async () => {
      const req = { method: "GET", path: "/metrics" };
      const response = ensureOk(target, req, await send(target, req));
      const samples = parseMetrics(target, response.text);
      const signals: Record<string, number | null> = {};
      for (const name of RUNTIME_SIGNALS) {
        const matching = samples.filter((s) => s.name === name);
        signals[name] = matching.length ? matching.reduce((sum, s) => sum + s.value, 0) : null;
      }
      return { text: response.text, samples, signals };
    },
    jobs: (n = 20) => request("GET", `/v1/jobs?${limit(n)}`, jobsSchema),
    runJob: (input: { tenant?: string; thread_id?: string; payload?: unknown } = {}) => request("POST", "/v1/jobs/run", jobSchema, input),
    inspectJob: (jobId: string) => request("GET", `/v1/jobs/${encodeURIComponent(jobId)}`, jobSchema),
    poll: (input: { worker_id?: string; tenant?: string } = {}) => request("POST", "/v1/workers/poll", pollSchema, input),
    ack: (input: { job_id: string; lease_id: string; outcome?: "succeeded" | "failed"; worker_id?: string }) => request("POST", "/v1/workers/ack", ackSchema, input),
    auditLogs: (n = 20) => request("GET", `/v1/audit/logs?${limit(n)}`, auditLogsSchema),
    dlq: () => request("GET", "/v1/dlq", dlqSchema),
    call: (req: { method: string; path: string; body?: unknown }) => callOperation(target, runtimeOperations, req),
  };
}

export type RuntimeApi = ReturnType<typeof runtimeApi>;
