import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { listTimelinePage } from "@/lib/incidents";

/** One page of the timeline, newest first: ?before=<cursor>&kind=&actorId=&q=&limit= (at most 200). */
export const GET = withRoute<{ id: string }>({ permission: "incidents.read", name: "GET /api/incidents/[id]/timeline" }, async (request, ctx, params) => {
  const filter = Object.fromEntries(request.nextUrl.searchParams.entries());
  return NextResponse.json(await listTimelinePage(ctx, params.id, filter));
});
