import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { ControlState, controlRoutes } from "./control";
import { Faults, faultRoutes, type FaultChange, type FaultState } from "./faults";
import { Router, close, listen, portOf, sendJson } from "./http";
import { RuntimeState } from "./runtime";
import { runtimeRoutes } from "./runtime-routes";
import { surfaceRoutes, unavailable } from "./surface-routes";
import { SURFACES, type SurfaceDefinition, type SurfaceId } from "./surfaces";

export { SURFACES, SURFACE_IDS, portEnvName, type SurfaceDefinition, type SurfaceId } from "./surfaces";
export { referenceRegistration, type ReferenceRegistration } from "./registration";
export { ADMIN_TOKEN_HEADER, FAULT_NAMES, type FaultChange, type FaultName, type FaultState } from "./faults";
export { FAILURE_REASON_CODES, RUN_STATUSES, RUN_TRANSITIONS, SLOT_IDS, type Run, type RunStatus, type Slot } from "./control";

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

  const routers = new Map<SurfaceId, Router>();
  for (const s of SURFACES) routers.set(s.id, new Router());

  // Control API + fault switches.
  const controlRouter = routers.get("control-api")!;
  controlRoutes(controlRouter, control);
  faultRoutes(controlRouter, faults, adminToken);
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

  surfaceRoutes(routers, { faults, runtime, stateDir, urls });

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
