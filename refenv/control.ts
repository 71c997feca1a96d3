import { randomUUID } from "node:crypto";
import { HttpError, Router, optionalString, readJson, requireString, sendJson } from "./http";

// The control API of seeds 000/001: runs with a status machine and failure reason codes,
// and three preview slots with expiring leases.

export const RUN_STATUSES = ["queued", "running", "awaiting_approval", "merging", "deploying", "merged", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FAILURE_REASON_CODES = ["AGENT_TIMEOUT", "DEPLOY_PUSH_FAILED", "DEPLOY_HEALTHCHECK_FAILED"] as const;
export type FailureReasonCode = (typeof FAILURE_REASON_CODES)[number];

/** Allowed transitions. `failed` leaves only through resume (or cancel). */
export const RUN_TRANSITIONS: Record<RunStatus, RunStatus[]> = {
  queued: ["running", "failed", "cancelled"],
  running: ["awaiting_approval", "failed", "cancelled"],
  awaiting_approval: ["merging", "failed", "cancelled"],
  merging: ["deploying", "failed"],
  deploying: ["merged", "failed"],
  merged: [],
  failed: ["cancelled"],
  cancelled: [],
};

export type RunEvent = { at: string; type: "created" | "transition" | "resumed"; from?: RunStatus; to: RunStatus; failure_reason_code?: FailureReasonCode };
export type Run = {
  id: string;
  title: string;
  prompt: string;
  route: string;
  status: RunStatus;
  failure_reason_code: FailureReasonCode | null;
  attempt: number;
  slot_id: string | null;
  created_at: string;
  updated_at: string;
  events: RunEvent[];
};

export const SLOT_IDS = ["preview-1", "preview-2", "preview-3"] as const;
const MAX_RUNS = 10_000;
export type Slot = {
  slot_id: string;
  state: "free" | "leased";
  run_id: string | null;
  leased_at: string | null;
  lease_expires_at: string | null;
  /** Set when the lease is past its expiry and has not been reaped yet. */
  expired: boolean;
  /** Set when a release was accepted but the slot was not freed (slot_leak fault). */
  release_pending: boolean;
};

export type ControlOptions = { slotLeaseTtlMs: number; now?: () => number; slotLeak: () => boolean };

export class ControlState {
  readonly runs = new Map<string, Run>();
  private slots = new Map<string, Omit<Slot, "expired">>();
  /** Runs that asked for a slot while all were held, oldest first. */
  private waiting: { run_id: string; since: string }[] = [];
  private readonly now: () => number;

  constructor(private readonly options: ControlOptions) {
    this.now = options.now ?? Date.now;
    for (const slot_id of SLOT_IDS) this.slots.set(slot_id, freeSlot(slot_id));
  }

  private iso() {
    return new Date(this.now()).toISOString();
  }

  createRun(input: { title: string; prompt: string; route: string }): Run {
    const at = this.iso();
    const run: Run = {
      id: randomUUID(),
      ...input,
      status: "queued",
      failure_reason_code: null,
      attempt: 1,
      slot_id: null,
      created_at: at,
      updated_at: at,
      events: [{ at, type: "created", to: "queued" }],
    };
    this.runs.set(run.id, run);
    // Bounded memory for a long-running demo: the oldest runs without a slot are forgotten.
    if (this.runs.size > MAX_RUNS) {
      const oldest = [...this.runs.values()].find((r) => r.slot_id === null);
      if (oldest) this.runs.delete(oldest.id);
    }
    return run;
  }

  getRun(id: string): Run {
    const run = this.runs.get(id);
    if (!run) throw new HttpError(404, "RUN_NOT_FOUND", `run ${id} does not exist`, { run_id: id });
    return run;
  }

  transition(id: string, to: string, failureReason: string | undefined): Run {
    const run = this.getRun(id);
    if (!(RUN_STATUSES as readonly string[]).includes(to)) {
      throw new HttpError(422, "UNKNOWN_STATUS", `"to_status" must be one of ${RUN_STATUSES.join(", ")}`, { field: "to_status", allowed: RUN_STATUSES });
    }
    const target = to as RunStatus;
    if (target === "failed") {
      if (failureReason === undefined) {
        throw new HttpError(422, "FAILURE_REASON_REQUIRED", `a transition to failed needs "failure_reason_code", one of ${FAILURE_REASON_CODES.join(", ")}`, {
          field: "failure_reason_code",
          allowed: FAILURE_REASON_CODES,
        });
      }
      if (!(FAILURE_REASON_CODES as readonly string[]).includes(failureReason)) {
        throw new HttpError(422, "UNKNOWN_FAILURE_REASON", `"failure_reason_code" must be one of ${FAILURE_REASON_CODES.join(", ")}`, {
          field: "failure_reason_code",
          allowed: FAILURE_REASON_CODES,
        });
      }
    } else if (failureReason !== undefined) {
      throw new HttpError(422, "FAILURE_REASON_NOT_ALLOWED", `"failure_reason_code" is only accepted with to_status "failed"`, { field: "failure_reason_code" });
    }
    const allowed = RUN_TRANSITIONS[run.status];
    if (!allowed.includes(target)) {
      throw new HttpError(409, "INVALID_TRANSITION", `run ${id} cannot go from ${run.status} to ${target}`, {
        from: run.status,
        to: target,
        allowed,
      });
    }
    const at = this.iso();
    const event: RunEvent = { at, type: "transition", from: run.status, to: target };
    if (target === "failed") {
      run.failure_reason_code = failureReason as FailureReasonCode;
      event.failure_reason_code = run.failure_reason_code;
    }
    run.status = target;
    run.updated_at = at;
    run.events.push(event);
    return run;
  }

  resume(id: string): Run {
    const run = this.getRun(id);
    if (run.status !== "failed") {
      throw new HttpError(409, "RUN_NOT_FAILED", `only a failed run can be resumed; run ${id} is ${run.status}`, { status: run.status });
    }
    const at = this.iso();
    run.events.push({ at, type: "resumed", from: "failed", to: "queued" });
    run.status = "queued";
    run.failure_reason_code = null;
    run.attempt += 1;
    run.updated_at = at;
    return run;
  }

  listSlots() {
    const now = this.now();
    const slots: Slot[] = [...this.slots.values()].map((s) => ({
      ...s,
      expired: s.lease_expires_at !== null && Date.parse(s.lease_expires_at) <= now,
    }));
    return { slots, waiting: [...this.waiting], lease_ttl_ms: this.options.slotLeaseTtlMs };
  }

  private slotView(slot_id: string): Slot {
    return this.listSlots().slots.find((s) => s.slot_id === slot_id)!;
  }

  acquire(runId: string): { status: number; body: unknown } {
    const run = this.getRun(runId);
    const held = [...this.slots.values()].find((s) => s.run_id === runId && s.state === "leased");
    if (held) return { status: 200, body: { ...this.slotView(held.slot_id), reused: true } };
    const free = [...this.slots.values()].find((s) => s.state === "free");
    if (!free) {
      let position = this.waiting.findIndex((w) => w.run_id === runId);
      if (position === -1) {
        this.waiting.push({ run_id: runId, since: this.iso() });
        position = this.waiting.length - 1;
      }
      return {
        status: 202,
        body: { queue_reason: "WAITING_FOR_SLOT", run_id: runId, position: position + 1, slots: this.listSlots().slots },
      };
    }
    const now = this.now();
    free.state = "leased";
    free.run_id = runId;
    free.leased_at = new Date(now).toISOString();
    free.lease_expires_at = new Date(now + this.options.slotLeaseTtlMs).toISOString();
    free.release_pending = false;
    run.slot_id = free.slot_id;
    this.waiting = this.waiting.filter((w) => w.run_id !== runId);
    return { status: 200, body: this.slotView(free.slot_id) };
  }

  release(slotId: string, runId: string): Slot {
    const slot = this.slots.get(slotId);
    if (!slot) throw new HttpError(404, "SLOT_NOT_FOUND", `slot ${slotId} does not exist; slots are ${SLOT_IDS.join(", ")}`, { slot_id: slotId });
    if (slot.state !== "leased" || slot.run_id !== runId) {
      throw new HttpError(409, "SLOT_NOT_HELD_BY_RUN", `slot ${slotId} is not held by run ${runId}`, { slot: this.slotView(slotId) });
    }
    if (this.options.slotLeak()) {
      // The leak: the release is acknowledged but the lease stays until reap-expired.
      slot.release_pending = true;
      return this.slotView(slotId);
    }
    this.free(slot);
    return this.slotView(slotId);
  }

  reapExpired(): { reaped: string[]; slots: Slot[] } {
    const reaped: string[] = [];
    for (const view of this.listSlots().slots) {
      if (view.state === "leased" && (view.expired || view.release_pending)) {
        this.free(this.slots.get(view.slot_id)!);
        reaped.push(view.slot_id);
      }
    }
    return { reaped, slots: this.listSlots().slots };
  }

  private free(slot: Omit<Slot, "expired">) {
    const run = slot.run_id ? this.runs.get(slot.run_id) : undefined;
    if (run && run.slot_id === slot.slot_id) run.slot_id = null;
    Object.assign(slot, freeSlot(slot.slot_id));
  }
}

function freeSlot(slot_id: string): Omit<Slot, "expired"> {
  return { slot_id, state: "free", run_id: null, leased_at: null, lease_expires_at: null, release_pending: false };
}

export function controlRoutes(router: Router, state: ControlState) {
  router
    .on("GET", "/health", (_req, res) => sendJson(res, 200, { status: "ok", service: "control-api" }))
    .on("POST", "/api/runs", async (req, res) => {
      const body = await readJson(req);
      const run = state.createRun({
        title: requireString(body, "title", 500),
        prompt: requireString(body, "prompt"),
        route: requireString(body, "route", 500),
      });
      sendJson(res, 201, run);
    })
    .on("GET", "/api/runs", (_req, res) => sendJson(res, 200, { runs: [...state.runs.values()].reverse() }))
    .on("GET", "/api/runs/{id}", (_req, res, p) => sendJson(res, 200, state.getRun(p.id)))
    .on("POST", "/api/runs/{id}/transition", async (req, res, p) => {
      const body = await readJson(req);
      const run = state.transition(p.id, requireString(body, "to_status", 100), optionalString(body, "failure_reason_code"));
      sendJson(res, 200, run);
    })
    .on("POST", "/api/runs/{id}/resume", async (req, res, p) => {
      await readJson(req);
      sendJson(res, 200, state.resume(p.id));
    })
    .on("GET", "/api/slots", (_req, res) => sendJson(res, 200, state.listSlots()))
    .on("POST", "/api/slots/acquire", async (req, res) => {
      const body = await readJson(req);
      const result = state.acquire(requireString(body, "run_id", 100));
      sendJson(res, result.status, result.body);
    })
    .on("POST", "/api/slots/reap-expired", async (req, res) => {
      await readJson(req);
      sendJson(res, 200, state.reapExpired());
    })
    .on("POST", "/api/slots/{slot_id}/release", async (req, res, p) => {
      const body = await readJson(req);
      sendJson(res, 200, state.release(p.slot_id, requireString(body, "run_id", 100)));
    });
}
