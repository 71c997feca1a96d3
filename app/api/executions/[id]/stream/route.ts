import { withRoute } from "@/lib/http/route-guard";
import { untilSessionEnds } from "@/lib/auth/sessions";
import { getExecution, openExecutionStream } from "@/lib/executions";
import { NotFoundError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Live output of one execution as server-sent events; resumes after Last-Event-ID. */
export const GET = withRoute<{ id: string }>({ permission: "runbooks.read", name: "GET /api/executions/[id]/stream" }, async (request, ctx, { id }) => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("That execution does not exist.");
  await getExecution(ctx, id);
  const resume = Number(request.headers.get("last-event-id") ?? request.nextUrl.searchParams.get("after") ?? 0) || 0;
  // Closes when the client goes or this session ends (sign-out, user disabled, role lowered).
  const signal = await untilSessionEnds(ctx.actor, request.signal);
  return new Response(openExecutionStream(ctx.db, id, resume, signal), {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
