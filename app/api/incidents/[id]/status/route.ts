import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { jsonBody } from "@/lib/incidents/http";
import { changeStatus } from "@/lib/incidents";

/** Changes status from JSON {version, to, reason}: the same lib function and checks as the console. */
export const POST = withRoute<{ id: string }>({ permission: "incidents.manage", name: "POST /api/incidents/[id]/status" }, async (request, ctx, params) => {
  const body = await jsonBody(request);
  return NextResponse.json(await changeStatus(ctx, { ...body, incidentId: params.id }));
});
