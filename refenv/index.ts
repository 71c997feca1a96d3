import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { ControlState, controlRoutes } from "./control";
import { Faults, parseFaultChange, type FaultChange, type FaultState } from "./faults";
import { HttpError, Router, close, listen, portOf, readJson, sendJson, type Req } from "./http";
import { RuntimeState, runtimeRoutes } from "./runtime";
import { SURFACES, type SurfaceDefinition, type SurfaceId } from "./surfaces";

export { SURFACES, SURFACE_IDS, portEnvName, type SurfaceDefinition, type SurfaceId } from "./surfaces";
export { FAULT_NAMES, type FaultChange, type FaultName, type FaultState } from "./faults";
export { FAILURE_REASON_CODES, RUN_STATUSES, RUN_TRANSITIONS, SLOT_IDS, type Run, type RunStatus, type Slot } from "./control";

export const ADMIN_TOKEN_HEADER = "x-refenv-admin-token";
export const DEFAULT_STATE_DIR = path.join(os.tmpdir(), "sitrep-refenv");

export type RefenvOptions = {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /**
   * Ports are basePort + the surface's offset (control 0, runtime 1, worker 2, caddy 3, web main 4,
   * web previews 5-7, slot backends 8-10). basePort 0 gives every surface an ephemeral port.
   * Without basePort, the seeds' ports (8000, 8080, 8090, 8088, 3100-3103, 8101-8103).
   */
  basePort?: number;
  /** Per-surface port overrides (win over basePort). */
  ports?: Partial<Record<SurfaceId, number>>;
  /** Shared secret for the fault switches (header x-refenv-admin-token). Random when omitted. */
  adminToken?: string;
  /** Sandbox root shared with the host scripts (SITREP_REFENV_STATE). */
  stateDir?: string;
  /** How long a preview-slot lease lasts. Default 15 minutes. */
  slotLeaseTtlMs?: number;
  /** Simulation step of the runtime's job load. Default 250 ms. */
  tickMs?: number;
  workerLimit?: number;
  tenantLimit?: number;
  /** Seed of the load generator. */
  seed?: number;
  /** When set, /v1/audit/logs and /v1/dlq need `Authorization: Bearer <token>`. */
  runtimeOperatorToken?: string;
};

export type RunningSurface = SurfaceDefinition & { port: number; url: string; healthUrl: string };

export type Refenv = {
  urls: Record<SurfaceId, string>;
  ports: Record<SurfaceId, number>;
  surfaces: RunningSurface[];
  adminToken: string;
  stateDir: string;
  faults: { list(): FaultState; set(change: FaultChange): FaultState; clear(): FaultState };
  control: ControlState;
  runtime: RuntimeState;
  stop(): Promise<void>;
};

function tokenMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

function resolvePort(s: SurfaceDefinition, options: RefenvOptions): number {
  const explicit = options.ports?.[s.id];
  if (explicit !== undefined) return explicit;
  if (options.basePort === undefined) return s.defaultPort;
  return options.basePort === 0 ? 0 : options.basePort + s.offset;
}

export async function startRefenv(options: RefenvOptions = {}): Promise<Refenv> {
  const host = options.host ?? "127.0.0.1";
  const adminToken = options.adminToken ?? randomBytes(24).toString("hex");
  const stateDir = path.resolve(options.stateDir ?? DEFAULT_STATE_DIR);
  fs.mkdirSync(path.join(stateDir, "preview-backend"), { recursive: true });

  const faults = new Faults();
  const control = new ControlState({ slotLeaseTtlMs: options.slotLeaseTtlMs ?? 15 * 60_000, slotLeak: () => faults.isOn("slot_leak") });
  const runtime = new RuntimeState(
    {
      tickMs: options.tickMs ?? 250,
      workerLimit: options.workerLimit ?? 4,
      tenantLimit: options.tenantLimit ?? 2,
      seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
      apiLeaseTtlMs: 30_000,
    },
    faults,
  );
  faults.onChange((change) => runtime.record("admin", "fault.set", change.fault, { ...change }));

  const ports = {} as Record<SurfaceId, number>;
  const urls = {} as Record<SurfaceId, string>;
  const servers: http.Server[] = [];
  const unavailable = (res: http.ServerResponse, id: SurfaceId) =>
    sendJson(res, 503, { status: "unavailable", surface: id, error: "HEALTH_CHECK_FAILED", message: `${id} is failing its health check` });

  const backendRunning = (slot: string) => {
    try {
      return fs.readFileSync(path.join(stateDir, "preview-backend", `${slot}.state`), "utf8").trim() !== "stopped";
    } catch {
      return true; // never stopped by the runtime script: it runs
    }
  };
  const probe = async (id: SurfaceId, p = "/health", headers: Record<string, string> = {}) => {
    try {
      const r = await fetch(`${urls[id]}${p}`, { headers, signal: AbortSignal.timeout(2000) });
      return { ok: r.ok, status: r.status };
    } catch {
      return { ok: false, status: 0 };
    }
  };

  const routers = new Map<SurfaceId, Router>();
  for (const s of SURFACES) routers.set(s.id, new Router());

  // Control API + fault switches.
  const controlRouter = routers.get("control-api")!;
  controlRoutes(controlRouter, control);
  const guardAdmin = (req: Req) => {
    if (!tokenMatches(req.headers[ADMIN_TOKEN_HEADER], adminToken)) {
      throw new HttpError(401, "ADMIN_TOKEN_REQUIRED", `fault switches need the admin token in the ${ADMIN_TOKEN_HEADER} header`);
    }
  };
  controlRouter
    .on("GET", "/__faults", (req, res) => {
      guardAdmin(req);
      sendJson(res, 200, { faults: faults.snapshot() });
    })
    .on("POST", "/__faults", async (req, res) => {
      guardAdmin(req);
      const body = await readJson(req);
      if (body.clear === true) {
        sendJson(res, 200, { faults: faults.clear() });
        return;
      }
      sendJson(res, 200, { faults: faults.set(parseFaultChange(body)) });
    });
  controlRouter.before = (req, res) => {
    if (req.pathname === "/health" && faults.healthFailing("control-api")) {
      unavailable(res, "control-api");
      return true;
    }
    if (req.pathname.startsWith("/api/") && faults.nextRequestFails()) {
      sendJson(res, 503, { error: "SERVICE_UNAVAILABLE", message: "control API is overloaded (5xx burst)" });
      return true;
    }
    return false;
  };

  // Runtime API.
  const runtimeRouter = routers.get("runtime-api")!;
  runtimeRoutes(runtimeRouter, runtime, faults, options.runtimeOperatorToken);
  runtimeRouter.before = (req, res) => {
    if (req.pathname.startsWith("/v1/jobs") && faults.nextRequestFails()) {
      runtime.count5xx();
      sendJson(res, 503, { error: "SERVICE_UNAVAILABLE", message: "execution API backend unavailable (5xx burst)" });
      return true;
    }
    return false;
  };

  routers.get("worker")!.on("GET", "/health", (_req, res) => {
    if (faults.healthFailing("worker")) return unavailable(res, "worker");
    sendJson(res, 200, { status: "ok", surface: "worker", dispatching: runtime.dispatching(), last_dispatch_at: runtime.lastDispatchAt });
  });

  routers.get("web-main")!
    .on("GET", "/health", (_req, res) => (faults.healthFailing("web-main") ? unavailable(res, "web-main") : sendJson(res, 200, { status: "ok", surface: "web-main" })))
    .on("GET", "/api/health", async (_req, res) => {
      const upstream = await probe("control-api");
      sendJson(res, upstream.ok ? 200 : 502, { status: upstream.ok ? "ok" : "bad_gateway", surface: "web-main", upstream: "control-api", upstream_status: upstream.status });
    });

  for (const n of [1, 2, 3]) {
    const web = `web-preview-${n}` as SurfaceId;
    const backend = `slot-backend-preview-${n}` as SurfaceId;
    routers.get(web)!
      .on("GET", "/health", (_req, res) => (faults.healthFailing(web) ? unavailable(res, web) : sendJson(res, 200, { status: "ok", surface: web })))
      .on("GET", "/api/health", async (_req, res) => {
        // Slot-local API wiring: the preview's /api/health is proxied to its own slot backend.
        if (faults.healthFailing(web)) return unavailable(res, web);
        const upstream = await probe(backend);
        sendJson(res, upstream.ok ? 200 : 502, { status: upstream.ok ? "ok" : "bad_gateway", surface: web, upstream: backend, upstream_status: upstream.status });
      });
    routers.get(backend)!.on("GET", "/health", (_req, res) => {
      if (faults.healthFailing(backend)) return unavailable(res, backend);
      if (!backendRunning(`preview-${n}`)) {
        sendJson(res, 503, { status: "stopped", surface: backend, error: "BACKEND_STOPPED", message: `slot backend preview-${n} is stopped` });
        return;
      }
      sendJson(res, 200, { status: "ok", surface: backend, slot_id: `preview-${n}`, database: `app_preview_${n}` });
    });
  }

  // Caddy routes by Host header, like the real reverse proxy.
  routers.get("caddy")!.on("GET", "/health", async (req, res) => {
    const hostHeader = (req.headers.host ?? "").split(":")[0];
    const preview = /^preview([1-3])\.example\.com$/.exec(hostHeader);
    if (faults.healthFailing("caddy")) return unavailable(res, "caddy");
    if (hostHeader === "app.example.com") return sendJson(res, 200, { status: "ok", surface: "caddy", site: hostHeader });
    const target: SurfaceId | null = preview ? (`web-preview-${preview[1]}` as SurfaceId) : hostHeader === "api.example.com" ? "control-api" : null;
    if (!target) return sendJson(res, 404, { error: "NO_SITE", message: `no site configured for host "${hostHeader}"` });
    const upstream = await probe(target);
    sendJson(res, upstream.ok ? 200 : 502, { status: upstream.ok ? "ok" : "bad_gateway", surface: "caddy", site: hostHeader, upstream: target });
  });

  try {
    for (const s of SURFACES) {
      const server = await listen(routers.get(s.id)!.handle, host, resolvePort(s, options));
      servers.push(server);
      ports[s.id] = portOf(server);
      urls[s.id] = `http://${host}:${ports[s.id]}`;
    }
  } catch (error) {
    await Promise.all(servers.map(close));
    throw error;
  }
  runtime.start();

  const surfaces = SURFACES.map((s) => ({ ...s, port: ports[s.id], url: urls[s.id], healthUrl: `${urls[s.id]}${s.healthPaths[0]}` }));
  let stopped = false;
  return {
    urls,
    ports,
    surfaces,
    adminToken,
    stateDir,
    control,
    runtime,
    faults: { list: () => faults.snapshot(), set: (c) => faults.set(c), clear: () => faults.clear() },
    async stop() {
      if (stopped) return;
      stopped = true;
      runtime.stop();
      await Promise.all(servers.map(close));
    },
  };
}

/** Environment for the host scripts so they talk to this instance (used by the agent's child env). */
export function scriptEnv(env: Pick<Refenv, "urls" | "stateDir">): Record<string, string> {
  return {
    SITREP_REFENV_STATE: env.stateDir,
    CONTROL_API_URL: env.urls["control-api"],
    RUNTIME_API_URL: env.urls["runtime-api"],
    WORKER_URL: env.urls.worker,
    CADDY_URL: env.urls.caddy,
    WEB_MAIN_URL: env.urls["web-main"],
    WEB_PREVIEW_1_URL: env.urls["web-preview-1"],
    WEB_PREVIEW_2_URL: env.urls["web-preview-2"],
    WEB_PREVIEW_3_URL: env.urls["web-preview-3"],
    SLOT_BACKEND_1_URL: env.urls["slot-backend-preview-1"],
    SLOT_BACKEND_2_URL: env.urls["slot-backend-preview-2"],
    SLOT_BACKEND_3_URL: env.urls["slot-backend-preview-3"],
  };
}
