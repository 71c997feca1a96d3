import { connection } from "next/server";
import { getDatabase } from "@/db/client";
import { log } from "@/lib/log";
import { metricsAccess, renderMetrics } from "@/lib/metrics";

// Prometheus scrape endpoint. Not a page of the console: it has no session, only the bearer token
// from SITREP_METRICS_TOKEN (Prometheus: `authorization: { credentials: … }`). Without the
// variable the endpoint does not exist.

export async function GET(request: Request): Promise<Response> {
  await connection();
  const access = metricsAccess(request.headers.get("authorization"));
  if (access === "disabled") return new Response("Not found: set SITREP_METRICS_TOKEN to enable /metrics.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (access === "unauthorized") {
    return new Response("Unauthorized: send Authorization: Bearer <SITREP_METRICS_TOKEN>.\n", { status: 401, headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="sitrep-metrics"' } });
  }
  try {
    const { contentType, body } = await renderMetrics((await getDatabase()).db);
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  } catch (error) {
    log.error("metrics.render_failed", { error: error instanceof Error ? error.message : String(error) });
    return new Response("Metrics are unavailable right now (see the server log).\n", { status: 503, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
