import { subscribe } from "@/lib/live";
import { openAlertStream } from "@/lib/alerts";
import { withRoute } from "@/lib/http/route-guard";
import { untilSessionEnds } from "@/lib/auth/sessions";

/** Server-sent "alerts changed" notices, coalesced to at most four a second. */
export const GET = withRoute({ permission: "alerts.read", name: "GET /api/alerts/live" }, async (request, ctx) => {
  // Closes when the client goes or this session ends (sign-out, user disabled, role lowered).
  const stream = openAlertStream({ listen: subscribe, signal: await untilSessionEnds(ctx.actor, request.signal) });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
});
