import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { getIncidentDetail } from "@/lib/incidents";

/** One incident with roles, checklists and timeline, by id or INC number. */
export const GET = withRoute<{ id: string }>({ permission: "incidents.read", name: "GET /api/incidents/[id]" }, async (_request, ctx, params) => {
  return NextResponse.json(await getIncidentDetail(ctx, params.id));
});
