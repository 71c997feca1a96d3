import { randomUUID } from "node:crypto";
import type { Faults } from "./faults";
import { HttpError } from "./http";

// The runtime API of seed 002 with a simulated job load: a timer enqueues jobs for a few
// simulated tenants, a built-in worker pool leases, runs and acks them, and the five
// oris_runtime_* signals are computed from what actually happened.

export type JobStatus = "queued" | "leased" | "succeeded" | "dead_lettered";
export type Job = {
  job_id: string;
  thread_id: string;
  tenant: string;
  source: "simulated" | "api";
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  lease_id: string | null;
  worker_id: string | null;
  lease_expires_at: string | null;
  payload: unknown;
  last_error: string | null;
  created_at: string;
  updated_at: string;
};
export type DlqEntry = { job_id: string; thread_id: string; tenant: string; reason: string; attempts: number; dead_lettered_at: string };
export type AuditEntry = { id: number; at: string; actor: string; action: string; target: string; detail: Record<string, unknown> };

export type RuntimeOptions = {
  tickMs: number;
  workerLimit: number;
  tenantLimit: number;
  /** Seed for the load generator's random numbers (same seed, same load). */
  seed: number;
  /** Lease of a job handed out by POST /v1/workers/poll. */
  apiLeaseTtlMs: number;
};

const SIM_TENANTS = ["tenant-a", "tenant-b", "tenant-c"];
const MAX_QUEUE = 20_000;
const KEEP_FINISHED = 2_000;
const WINDOW = 100;
/** Simulated leases last this many ticks (a job runs one or two). */
const SIM_LEASE_TICKS = 20;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class RuntimeState {
  private jobs = new Map<string, Job>();
  private queue: string[] = [];
  private finished: string[] = [];
  private running = new Map<string, { workerId: string; doneAtTick: number }>();
  private requeuedAt = new Map<string, number>();
  private dlq: DlqEntry[] = [];
  private audit: AuditEntry[] = [];
  private auditSeq = 0;
  private tickCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private random: () => number;
  private outcomes: boolean[] = []; // true = terminal error, over the last WINDOW completions
  private leaseAttempts: boolean[] = []; // true = conflict, over the last WINDOW lease attempts
  private recoveryLatencyMs = 0;
  private counters = { worker_limit: 0, tenant_limit: 0, succeeded: 0, terminal: 0, retried: 0, http5xx: 0 };
  lastDispatchAt: string | null = null;

  constructor(
    private readonly options: RuntimeOptions,
    private readonly faults: Faults,
  ) {
    this.random = prng(options.seed);
  }

  start() {
    this.timer = setInterval(() => this.tick(), this.options.tickMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  dispatching(): boolean {
    return !this.faults.isOn("stalled_queue") && !this.faults.healthFailing("worker");
  }

  record(actor: string, action: string, target: string, detail: Record<string, unknown> = {}) {
    this.audit.push({ id: ++this.auditSeq, at: new Date().toISOString(), actor, action, target, detail });
    if (this.audit.length > 1000) this.audit.shift();
  }

  count5xx() {
    this.counters.http5xx += 1;
  }

  /** One step of the simulation: arrivals, completions, lease expiry, dispatch. */
  tick() {
    this.tickCount += 1;
    const now = Date.now();
    const arrivals = 1 + (this.random() < 0.5 ? 1 : 0);
    for (let i = 0; i < arrivals && this.queue.length < MAX_QUEUE; i++) {
      const tenant = SIM_TENANTS[Math.floor(this.random() * SIM_TENANTS.length)];
      this.enqueue(this.newJob(tenant, "simulated", { kind: "simulated" }));
    }
    if (this.dispatching()) this.completeRunning();
    this.expireSimulatedLeases(now);
    this.expireApiLeases(now);
    if (this.dispatching()) this.dispatch(now);
    this.updateRecoveryLatency(now);
  }

  private newJob(tenant: string, source: Job["source"], payload: unknown, threadId?: string): Job {
    const at = new Date().toISOString();
    const job: Job = {
      job_id: randomUUID(),
      thread_id: threadId ?? `thread-${randomUUID().slice(0, 8)}`,
      tenant,
      source,
      status: "queued",
      attempts: 0,
      max_attempts: 3,
      lease_id: null,
      worker_id: null,
      lease_expires_at: null,
      payload,
      last_error: null,
      created_at: at,
      updated_at: at,
    };
    this.jobs.set(job.job_id, job);
    return job;
  }

  private enqueue(job: Job) {
    job.status = "queued";
    job.lease_id = null;
    job.worker_id = null;
    job.lease_expires_at = null;
    job.updated_at = new Date().toISOString();
    this.queue.push(job.job_id);
  }

  private finish(job: Job, terminalError: string | null) {
    job.updated_at = new Date().toISOString();
    job.lease_id = null;
    job.lease_expires_at = null;
    this.outcomes.push(terminalError !== null);
    if (this.outcomes.length > WINDOW) this.outcomes.shift();
    if (terminalError === null) {
      job.status = "succeeded";
      this.counters.succeeded += 1;
    } else {
      job.status = "dead_lettered";
      job.last_error = terminalError;
      this.counters.terminal += 1;
      this.dlq.push({ job_id: job.job_id, thread_id: job.thread_id, tenant: job.tenant, reason: terminalError, attempts: job.attempts, dead_lettered_at: job.updated_at });
      if (this.dlq.length > 5000) this.dlq.shift();
    }
    this.finished.push(job.job_id);
    while (this.finished.length > KEEP_FINISHED) {
      const old = this.finished.shift()!;
      if (!this.dlq.some((d) => d.job_id === old)) this.jobs.delete(old);
    }
  }

  private completeRunning() {
    const spike = this.faults.isOn("terminal_error_spike");
    for (const [jobId, run] of [...this.running]) {
      if (run.doneAtTick > this.tickCount) continue;
      this.running.delete(jobId);
      const job = this.jobs.get(jobId)!;
      const roll = this.random();
      const terminalP = spike ? 0.5 : 0.01;
      const transientP = 0.05;
      if (roll < terminalP) {
        this.finish(job, spike ? "downstream returned 500: payment-gateway unavailable" : "invalid input: schema mismatch");
      } else if (roll < terminalP + transientP) {
        job.last_error = "transient: upstream timeout";
        if (job.attempts >= job.max_attempts) {
          this.finish(job, "retries exhausted: upstream timeout");
        } else {
          this.counters.retried += 1;
          this.requeuedAt.set(job.job_id, Date.now());
          this.enqueue(job);
        }
      } else {
        this.finish(job, null);
      }
    }
  }

  /** A worker that stops heartbeating loses its leases; the jobs go back to the queue. */
  private expireSimulatedLeases(now: number) {
    for (const jobId of [...this.running.keys()]) {
      const job = this.jobs.get(jobId)!;
      if (job.lease_expires_at && Date.parse(job.lease_expires_at) <= now) {
        this.running.delete(jobId);
        this.requeuedAt.set(jobId, now);
        this.enqueue(job);
      }
    }
  }

  private expireApiLeases(now: number) {
    for (const job of this.jobs.values()) {
      if (job.status === "leased" && job.source === "api" && job.lease_expires_at && Date.parse(job.lease_expires_at) <= now) {
        this.record("runtime", "lease.expired", job.job_id, { worker_id: job.worker_id });
        this.requeuedAt.set(job.job_id, now);
        this.enqueue(job);
      }
    }
  }

  private lease(job: Job, workerId: string, ttlMs: number) {
    job.status = "leased";
    job.attempts += 1;
    job.lease_id = randomUUID();
    job.worker_id = workerId;
    job.lease_expires_at = new Date(Date.now() + ttlMs).toISOString();
    job.updated_at = new Date().toISOString();
    this.lastDispatchAt = job.updated_at;
    const requeued = this.requeuedAt.get(job.job_id);
    if (requeued !== undefined) {
      const latency = Date.now() - requeued;
      this.recoveryLatencyMs = this.recoveryLatencyMs === 0 ? latency : Math.round(this.recoveryLatencyMs * 0.7 + latency * 0.3);
      this.requeuedAt.delete(job.job_id);
    }
  }

  private noteLeaseAttempt(conflict: boolean) {
    this.leaseAttempts.push(conflict);
    if (this.leaseAttempts.length > WINDOW) this.leaseAttempts.shift();
  }

  private dispatch(now: number) {
    const perTenant = new Map<string, number>();
    for (const jobId of this.running.keys()) {
      const t = this.jobs.get(jobId)!.tenant;
      perTenant.set(t, (perTenant.get(t) ?? 0) + 1);
    }
    const blockedTenants = new Set<string>();
    const remaining: string[] = [];
    let workerLimited = false;
    for (const jobId of this.queue) {
      const job = this.jobs.get(jobId);
      if (!job || job.status !== "queued") continue;
      if (job.source !== "simulated") {
        remaining.push(jobId);
        continue;
      }
      if (this.running.size >= this.options.workerLimit) {
        workerLimited = true;
        remaining.push(jobId);
        continue;
      }
      if ((perTenant.get(job.tenant) ?? 0) >= this.options.tenantLimit) {
        blockedTenants.add(job.tenant);
        remaining.push(jobId);
        continue;
      }
      // Two workers now and then race for the same job; the loser retries next tick.
      if (this.random() < 0.03) {
        this.noteLeaseAttempt(true);
        remaining.push(jobId);
        continue;
      }
      this.noteLeaseAttempt(false);
      this.lease(job, `sim-worker-${(this.running.size % this.options.workerLimit) + 1}`, this.options.tickMs * SIM_LEASE_TICKS);
      this.running.set(jobId, { workerId: job.worker_id!, doneAtTick: this.tickCount + 1 + Math.floor(this.random() * 2) });
      perTenant.set(job.tenant, (perTenant.get(job.tenant) ?? 0) + 1);
    }
    this.queue = remaining;
    if (workerLimited) this.counters.worker_limit += 1;
    this.counters.tenant_limit += blockedTenants.size;
    void now;
  }

  private updateRecoveryLatency(now: number) {
    // Waiting retries count too: a stalled queue makes recovery latency climb.
    let oldest = 0;
    for (const at of this.requeuedAt.values()) oldest = Math.max(oldest, now - at);
    if (oldest > this.recoveryLatencyMs) this.recoveryLatencyMs = oldest;
  }

  queueDepth(): number {
    return this.queue.length;
  }

  signals() {
    const rate = (xs: boolean[]) => (xs.length === 0 ? 0 : xs.filter(Boolean).length / xs.length);
    return {
      queue_depth: this.queue.length,
      lease_conflict_rate: rate(this.leaseAttempts),
      recovery_latency_ms: this.recoveryLatencyMs,
      backpressure_worker_limit: this.counters.worker_limit,
      backpressure_tenant_limit: this.counters.tenant_limit,
      terminal_error_rate: rate(this.outcomes),
      active_leases: this.running.size + [...this.jobs.values()].filter((j) => j.source === "api" && j.status === "leased").length,
      dlq_size: this.dlq.length,
      succeeded_total: this.counters.succeeded,
      terminal_total: this.counters.terminal,
      retried_total: this.counters.retried,
      http_5xx_total: this.counters.http5xx,
    };
  }

  metricsText(): string {
    const s = this.signals();
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${Number.isInteger(value) ? value : value.toFixed(4)}`);
    };
    metric("oris_runtime_queue_depth", "gauge", "Jobs waiting for a worker.", [["", s.queue_depth]]);
    metric("oris_runtime_lease_conflict_rate", "gauge", "Share of lease attempts that lost a race (last 100 attempts).", [["", s.lease_conflict_rate]]);
    metric("oris_runtime_recovery_latency_ms", "gauge", "Time from requeue of a failed or expired job to its next lease.", [["", s.recovery_latency_ms]]);
    metric("oris_runtime_backpressure_total", "counter", "Dispatch rounds held back by a concurrency limit.", [
      ['{reason="worker_limit"}', s.backpressure_worker_limit],
      ['{reason="tenant_limit"}', s.backpressure_tenant_limit],
    ]);
    metric("oris_runtime_terminal_error_rate", "gauge", "Share of the last 100 completed jobs that ended in a terminal error.", [["", s.terminal_error_rate]]);
    metric("oris_runtime_active_leases", "gauge", "Jobs currently leased by a worker.", [["", s.active_leases]]);
    metric("oris_runtime_dlq_size", "gauge", "Jobs in the dead-letter queue.", [["", s.dlq_size]]);
    metric("oris_runtime_jobs_completed_total", "counter", "Completed jobs by outcome.", [
      ['{outcome="succeeded"}', s.succeeded_total],
      ['{outcome="terminal_error"}', s.terminal_total],
    ]);
    metric("oris_runtime_http_5xx_total", "counter", "Responses with a 5xx status.", [["", s.http_5xx_total]]);
    return lines.join("\n") + "\n";
  }

  listJobs(limit: number): Job[] {
    return [...this.jobs.values()].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, limit);
  }

  getJob(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new HttpError(404, "JOB_NOT_FOUND", `job ${id} does not exist`, { job_id: id });
    return job;
  }

  runJob(input: { tenant?: string; thread_id?: string; payload?: unknown }): Job {
    const job = this.newJob(input.tenant ?? "operator", "api", input.payload ?? {}, input.thread_id);
    this.enqueue(job);
    this.record("operator", "job.run", job.job_id, { tenant: job.tenant, thread_id: job.thread_id });
    return job;
  }

  poll(workerId: string, tenant: string | undefined): { job: Job } | { noop: true; reason: string } {
    if (!this.dispatching()) return { noop: true, reason: "dispatch_stalled" };
    const index = this.queue.findIndex((id) => {
      const job = this.jobs.get(id);
      return job?.source === "api" && job.status === "queued" && (tenant === undefined || job.tenant === tenant);
    });
    if (index === -1) return { noop: true, reason: "no_jobs" };
    const job = this.jobs.get(this.queue[index])!;
    this.queue.splice(index, 1);
    this.noteLeaseAttempt(false);
    this.lease(job, workerId, this.options.apiLeaseTtlMs);
    this.record(workerId, "worker.poll", job.job_id, { lease_id: job.lease_id });
    return { job };
  }

  ack(input: { job_id: string; lease_id: string; outcome: "succeeded" | "failed"; error?: string; workerId: string }): Job {
    const job = this.getJob(input.job_id);
    if (job.status !== "leased" || job.lease_id !== input.lease_id) {
      this.noteLeaseAttempt(true);
      throw new HttpError(409, "LEASE_CONFLICT", `job ${job.job_id} is not leased under lease ${input.lease_id} (status ${job.status})`, {
        job_id: job.job_id,
        status: job.status,
      });
    }
    this.finish(job, input.outcome === "succeeded" ? null : (input.error ?? "failed by worker"));
    this.record(input.workerId, "worker.ack", job.job_id, { lease_id: input.lease_id, outcome: input.outcome });
    return job;
  }

  listDlq(): DlqEntry[] {
    return [...this.dlq].reverse();
  }

  replay(jobId: string): Job {
    const index = this.dlq.findIndex((d) => d.job_id === jobId);
    if (index === -1) throw new HttpError(404, "DLQ_ENTRY_NOT_FOUND", `job ${jobId} is not in the dead-letter queue`, { job_id: jobId });
    this.dlq.splice(index, 1);
    const job = this.getJob(jobId);
    job.attempts = 0;
    job.last_error = null;
    this.requeuedAt.set(job.job_id, Date.now());
    this.enqueue(job);
    this.record("operator", "dlq.replay", job.job_id, {});
    return job;
  }

  auditLogs(limit: number): AuditEntry[] {
    return this.audit.slice(-limit).reverse();
  }
}
