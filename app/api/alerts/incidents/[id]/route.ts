import { NextResponse } from "next/server";
import { incidentAlerts } from "@/lib/alerts";
import { ValidationError } from "@/lib/errors";
import { withRoute } from "@/lib/http/route-guard";

/** The alerts attached to one incident and their current state (the incident header's alert chip). */
export const GET = withRoute<{ id: string }>({ permission: "incidents.read", name: "GET /api/alerts/incidents/[id]" }, async (_request, ctx, params) => {
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) throw new ValidationError("Unknown incident.");
  return NextResponse.json(await incidentAlerts(ctx.db, params.id), { headers: { "cache-control": "no-store" } });
});
