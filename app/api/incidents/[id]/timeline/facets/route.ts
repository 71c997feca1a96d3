import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { timelineFacets } from "@/lib/incidents";

/** The kinds and people an incident's timeline has, and its length: the command view's filter choices. */
export const GET = withRoute<{ id: string }>({ permission: "incidents.read", name: "GET /api/incidents/[id]/timeline/facets" }, async (_request, ctx, params) => {
  return NextResponse.json(await timelineFacets(ctx, params.id));
});
