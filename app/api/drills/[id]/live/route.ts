import { withRoute } from "@/lib/http/route-guard";
import { untilSessionEnds } from "@/lib/auth/sessions";
import { openDrillStream } from "@/lib/drills/live";
import { ValidationError } from "@/lib/errors";

/** Server-sent events for one drill's page: `change` with the drill's fingerprint whenever it changes. */
export const GET = withRoute<{ id: string }>({ permission: "drills.read", name: "GET /api/drills/:id/live" }, async (request, ctx, { id }) => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ValidationError("Unknown drill.");
  // Closes when the client goes or this session ends (sign-out, user disabled, role lowered).
  const stream = await openDrillStream(ctx, id, await untilSessionEnds(ctx.actor, request.signal));
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
