import "server-only";
import http from "node:http";
import https from "node:https";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { environments, environmentSurfaces, surfaceHealthChanges, type EnvironmentSurface, type SurfaceState } from "@/db/schema";
import { publish } from "@/lib/live";
import { log } from "@/lib/log";
import { joinOutbound } from "./outbound";
import { LIVE_CHANNEL } from "./manage";

// The surface health board's data: every surface's health check, polled on an interval by a
// start hook. Only state changes are stored as history; the latest result lives on the surface.

export const HEALTH_POLL_INTERVAL_MS = 5_000;
const CHECK_TIMEOUT_MS = 3_000;

export type CheckResult = { ok: boolean; status: number | null; latencyMs: number; error: string | null };

/** One health check, like `curl -fsS [-H 'Host: …'] URL`: a 2xx answer within the timeout is up. */
export function checkSurface(surface: Pick<EnvironmentSurface, "healthUrl" | "hostHeader">, timeoutMs = CHECK_TIMEOUT_MS): Promise<CheckResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = joinOutbound(surface.healthUrl, "", "health check URL");
    } catch (error) {
      resolve({ ok: false, status: null, latencyMs: 0, error: (error as Error).message });
      return;
    }
    const transport = url.protocol === "https:" ? https : http;
    const req = transport.request(url, { method: "GET", headers: surface.hostHeader ? { host: surface.hostHeader } : {}, timeout: timeoutMs });
    req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "TIMEOUT" })));
    req.on("error", (error: NodeJS.ErrnoException) => {
      const text =
        error.code === "ECONNREFUSED" ? "connection refused" : error.code === "TIMEOUT" ? error.message : error.code === "ENOTFOUND" ? "host not found" : error.message;
      resolve({ ok: false, status: null, latencyMs: elapsed(), error: text });
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        resolve({ ok, status, latencyMs: elapsed(), error: ok ? null : `HTTP ${status}` });
      });
    });
    req.end();
  });
}

/** Checks every surface of one environment and stores the results; returns how many changed state. */
export async function pollEnvironmentHealth(db: Db, environmentId: string): Promise<{ checked: number; changed: number }> {
  const surfaces = await db.select().from(environmentSurfaces).where(eq(environmentSurfaces.environmentId, environmentId));
  const results = await Promise.all(surfaces.map(async (s) => ({ surface: s, result: await checkSurface(s) })));
  let changed = 0;
  const now = new Date();
  for (const { surface, result } of results) {
    const next: SurfaceState = result.ok ? "up" : "down";
    const isChange = next !== surface.state;
    await db.transaction(async (tx) => {
      const [row] = await tx
        .update(environmentSurfaces)
        .set({
          state: next,
          lastStatus: result.status,
          lastLatencyMs: result.latencyMs,
          lastError: result.error,
          lastCheckedAt: now,
          ...(isChange ? { lastChangeAt: now } : {}),
        })
        // Two pollers (two app instances) must not both record the same change.
        .where(and(eq(environmentSurfaces.id, surface.id), eq(environmentSurfaces.state, surface.state)))
        .returning({ id: environmentSurfaces.id });
      if (row && isChange) {
        changed++;
        await tx.insert(surfaceHealthChanges).values({
          surfaceId: surface.id,
          at: now,
          from: surface.state,
          to: next,
          httpStatus: result.status,
          latencyMs: result.latencyMs,
          error: result.error,
        });
        await publish(tx, LIVE_CHANNEL, { type: "surface.health", id: environmentId, surface: surface.name, state: next });
      }
    });
  }
  return { checked: surfaces.length, changed };
}

export async function pollAllEnvironments(db: Db): Promise<void> {
  const rows = await db.select({ id: environments.id }).from(environments);
  for (const row of rows) {
    try {
      await pollEnvironmentHealth(db, row.id);
    } catch (error) {
      log.warn("environments.health_poll_failed", { environmentId: row.id, error: String(error) });
    }
  }
}

/** Polls forever on an interval; the returned function stops it. */
export function startHealthPoller(getDb: () => Promise<Db>, intervalMs = HEALTH_POLL_INTERVAL_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      await pollAllEnvironments(await getDb());
    } catch (error) {
      log.warn("environments.health_poll_failed", { error: String(error) });
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
