import { createHash, timingSafeEqual } from "node:crypto";
import { HttpError, readJson, sendJson, type Req, type Router } from "./http";
import { SURFACE_IDS, type SurfaceId } from "./surfaces";

// Fault switches of the reference environment. Each one changes real behaviour of the
// services (not only a flag in a response), the way seed 002's playbooks describe symptoms.

/** Header carrying the admin token that protects the switches. */
export const ADMIN_TOKEN_HEADER = "x-refenv-admin-token";

export const FAULT_NAMES = ["stalled_queue", "failing_health", "5xx_burst", "slot_leak", "terminal_error_spike"] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export type FaultState = {
  stalled_queue: boolean;
  failing_health: SurfaceId[];
  "5xx_burst": { on: boolean; share: number };
  slot_leak: boolean;
  terminal_error_spike: boolean;
};

export type FaultChange =
  | { fault: "stalled_queue" | "slot_leak" | "terminal_error_spike"; on: boolean }
  | { fault: "failing_health"; surface: SurfaceId; on: boolean }
  | { fault: "5xx_burst"; on: boolean; share?: number };

export class Faults {
  private state: FaultState = {
    stalled_queue: false,
    failing_health: [],
    "5xx_burst": { on: false, share: 0.5 },
    slot_leak: false,
    terminal_error_spike: false,
  };
  private burstCounter = 0;
  private listeners: ((change: FaultChange) => void)[] = [];

  snapshot(): FaultState {
    return structuredClone(this.state);
  }

  onChange(fn: (change: FaultChange) => void) {
    this.listeners.push(fn);
  }

  set(change: FaultChange): FaultState {
    switch (change.fault) {
      case "failing_health": {
        const rest = this.state.failing_health.filter((s) => s !== change.surface);
        this.state.failing_health = change.on ? [...rest, change.surface] : rest;
        break;
      }
      case "5xx_burst":
        this.state["5xx_burst"] = { on: change.on, share: change.share ?? this.state["5xx_burst"].share };
        this.burstCounter = 0;
        break;
      default:
        this.state[change.fault] = change.on;
    }
    for (const fn of this.listeners) fn(change);
    return this.snapshot();
  }

  clear(): FaultState {
    for (const surface of this.state.failing_health) this.set({ fault: "failing_health", surface, on: false });
    for (const fault of ["stalled_queue", "slot_leak", "terminal_error_spike"] as const) {
      if (this.state[fault]) this.set({ fault, on: false });
    }
    if (this.state["5xx_burst"].on) this.set({ fault: "5xx_burst", on: false });
    return this.snapshot();
  }

  isOn(fault: "stalled_queue" | "slot_leak" | "terminal_error_spike"): boolean {
    return this.state[fault];
  }

  healthFailing(surface: SurfaceId): boolean {
    return this.state.failing_health.includes(surface);
  }

  /** Deterministic share: with share 0.5 every second request fails, with 0.25 every fourth. */
  nextRequestFails(): boolean {
    const burst = this.state["5xx_burst"];
    if (!burst.on) return false;
    this.burstCounter += 1;
    return Math.floor(this.burstCounter * burst.share) > Math.floor((this.burstCounter - 1) * burst.share);
  }
}

/**
 * Parses a change from the /__faults body. Accepts `{fault, on, surface?, share?}` or the
 * short form `{fault: "failing_health:worker", on}`.
 */
export function parseFaultChange(body: Record<string, unknown>): FaultChange {
  let fault = body.fault;
  let surface = body.surface;
  if (typeof fault === "string" && fault.startsWith("failing_health:")) {
    surface = fault.slice("failing_health:".length);
    fault = "failing_health";
  }
  if (typeof fault !== "string" || !(FAULT_NAMES as readonly string[]).includes(fault)) {
    throw new HttpError(422, "UNKNOWN_FAULT", `"fault" must be one of ${FAULT_NAMES.join(", ")}`, { field: "fault", faults: FAULT_NAMES });
  }
  const on = body.on === undefined ? true : body.on;
  if (typeof on !== "boolean") throw new HttpError(422, "VALIDATION_FAILED", `"on" must be a boolean`, { field: "on" });
  if (fault === "failing_health") {
    if (typeof surface !== "string" || !(SURFACE_IDS as readonly string[]).includes(surface)) {
      throw new HttpError(422, "UNKNOWN_SURFACE", `failing_health needs "surface", one of ${SURFACE_IDS.join(", ")}`, {
        field: "surface",
        surfaces: SURFACE_IDS,
      });
    }
    return { fault, surface: surface as SurfaceId, on };
  }
  if (fault === "5xx_burst") {
    const share = body.share;
    if (share !== undefined && (typeof share !== "number" || !(share > 0 && share <= 1))) {
      throw new HttpError(422, "VALIDATION_FAILED", `"share" must be a number in (0, 1]`, { field: "share" });
    }
    return { fault, on, share: share as number | undefined };
  }
  return { fault: fault as "stalled_queue" | "slot_leak" | "terminal_error_spike", on };
}

function tokenMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** GET/POST /__faults, guarded by the admin token (compared in constant time). */
export function faultRoutes(router: Router, faults: Faults, adminToken: string) {
  const guardAdmin = (req: Req) => {
    if (!tokenMatches(req.headers[ADMIN_TOKEN_HEADER], adminToken)) {
      throw new HttpError(401, "ADMIN_TOKEN_REQUIRED", `fault switches need the admin token in the ${ADMIN_TOKEN_HEADER} header`);
    }
  };
  router
    .on("GET", "/__faults", (req, res) => {
      guardAdmin(req);
      sendJson(res, 200, { faults: faults.snapshot() });
    })
    .on("POST", "/__faults", async (req, res) => {
      guardAdmin(req);
      const body = await readJson(req);
      sendJson(res, 200, { faults: body.clear === true ? faults.clear() : faults.set(parseFaultChange(body)) });
    });
}
