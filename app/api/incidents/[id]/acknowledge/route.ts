import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { jsonBody } from "@/lib/incidents/http";
import { acknowledgeCommand } from "@/lib/incidents";

/** The new commander acknowledges command (JSON body `{}`): the same lib function as the console's button. */
export const POST = withRoute<{ id: string }>({ permission: "incidents.manage", name: "POST /api/incidents/[id]/acknowledge" }, async (request, ctx, params) => {
  await jsonBody(request);
  return NextResponse.json(await acknowledgeCommand(ctx, { incidentId: params.id }));
});
