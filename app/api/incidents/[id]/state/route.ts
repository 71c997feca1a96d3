import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { getIncidentState } from "@/lib/incidents";

/** The incident without its timeline (header, roles, checklists, gates): re-read by the command view on every live event. */
export const GET = withRoute<{ id: string }>({ permission: "incidents.read", name: "GET /api/incidents/[id]/state" }, async (_request, ctx, params) => {
  return NextResponse.json(await getIncidentState(ctx, params.id));
});
