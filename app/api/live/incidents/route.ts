import { subscribe } from "@/lib/live";
import { withRoute } from "@/lib/http/route-guard";
import { untilSessionEnds } from "@/lib/auth/sessions";
import { currentSeq, openEventStream, parseLastEventId, watchTimelineGaps } from "@/lib/incidents";
import { ValidationError } from "@/lib/errors";

/**
 * Server-sent timeline events: of one incident (?incident=<id>) or of all (the list). Resumes
 * after the Last-Event-ID header (sent by EventSource on reconnect) or ?after=<seq>; without
 * either it starts from now.
 */
export const GET = withRoute({ permission: "incidents.read", name: "GET /api/live/incidents" }, async (request, ctx) => {
  const params = request.nextUrl.searchParams;
  const incidentId = params.get("incident") || undefined;
  if (incidentId && !/^[0-9a-f-]{36}$/i.test(incidentId)) throw new ValidationError("Unknown incident.");
  const resume = parseLastEventId(request.headers.get("last-event-id")) ?? parseLastEventId(params.get("after"));
  const afterSeq = resume ?? (await currentSeq(ctx.db));
  // Closes when the client goes or this session ends (sign-out, user disabled, role lowered).
  const signal = await untilSessionEnds(ctx.actor, request.signal);
  watchTimelineGaps(ctx.db);
  const stream = openEventStream({ db: ctx.db, listen: subscribe, incidentId, afterSeq, signal });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform keeps compression from buffering the stream.
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
