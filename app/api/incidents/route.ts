import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { jsonBody } from "@/lib/incidents/http";
import { declareIncident, listIncidents } from "@/lib/incidents";

/** The incident list as JSON (filters as query parameters), for the live list and scripts. */
export const GET = withRoute({ permission: "incidents.read", name: "GET /api/incidents" }, async (request, ctx) => {
  const filter = Object.fromEntries(request.nextUrl.searchParams.entries());
  return NextResponse.json(await listIncidents(ctx, filter));
});

/** Declares an incident from JSON; the same lib function and permission as the console form. */
export const POST = withRoute({ permission: "incidents.declare", name: "POST /api/incidents" }, async (request, ctx) => {
  const incident = await declareIncident(ctx, await jsonBody(request));
  return NextResponse.json(incident, { status: 201 });
});
