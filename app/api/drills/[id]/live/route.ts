import { withRoute } from "@/lib/http/route-guard";
import { openDrillStream } from "@/lib/drills/live";
import { ValidationError } from "@/lib/errors";

/** Server-sent events for one drill's page: `change` with the drill's fingerprint whenever it changes. */
export const GET = withRoute<{ id: string }>({ permission: "drills.read", name: "GET /api/drills/:id/live" }, async (request, ctx, { id }) => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ValidationError("Unknown drill.");
  const stream = await openDrillStream(ctx, id, request.signal);
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
