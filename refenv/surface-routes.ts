import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import type { Faults } from "./faults";
import { sendJson, type Router } from "./http";
import type { RuntimeState } from "./runtime";
import type { SurfaceId } from "./surfaces";

// Health routes of the surfaces around the two APIs: worker, web main, web previews with their
// slot-local API wiring, slot backends (stopped by preview-backend-runtime.sh through the
// sandbox state) and Caddy routing by Host header.

export type SurfaceContext = {
  faults: Faults;
  runtime: RuntimeState;
  stateDir: string;
  /** Filled in once every surface listens; read at request time. */
  urls: Record<SurfaceId, string>;
};

export function unavailable(res: http.ServerResponse, id: SurfaceId) {
  sendJson(res, 503, { status: "unavailable", surface: id, error: "HEALTH_CHECK_FAILED", message: `${id} is failing its health check` });
}

export function surfaceRoutes(routers: Map<SurfaceId, Router>, { faults, runtime, stateDir, urls }: SurfaceContext) {

  const backendRunning = (slot: string) => {
    try {
      return fs.readFileSync(path.join(stateDir, "preview-backend", `${slot}.state`), "utf8").trim() !== "stopped";
    } catch {
      return true; // never stopped by the runtime script: it runs
    }
  };
  const probe = async (id: SurfaceId, p = "/health", headers: Record<string, string> = {}) => {
    try {
      const r = await fetch(`${urls[id]}${p}`, { headers, signal: AbortSignal.timeout(5000) });
      return { ok: r.ok, status: r.status };
    } catch {
      return { ok: false, status: 0 };
    }
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
}
