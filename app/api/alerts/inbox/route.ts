import { NextResponse } from "next/server";
import { listInbox } from "@/lib/alerts";
import { withRoute } from "@/lib/http/route-guard";

/** The alert inbox as JSON, re-read by every open inbox when the live stream says something changed. */
export const GET = withRoute({ permission: "alerts.read", name: "GET /api/alerts/inbox" }, async (_request, ctx) => NextResponse.json(await listInbox(ctx.db), { headers: { "cache-control": "no-store" } }));
