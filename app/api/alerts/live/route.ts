import { subscribe } from "@/lib/live";
import { openAlertStream } from "@/lib/alerts";
import { withRoute } from "@/lib/http/route-guard";

/** Server-sent "alerts changed" notices, coalesced to at most four a second. */
export const GET = withRoute({ permission: "alerts.read", name: "GET /api/alerts/live" }, async (request) => {
  const stream = openAlertStream({ listen: subscribe, signal: request.signal });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});
