import { NextResponse } from "next/server";
import { bannerGroups } from "@/lib/alerts";
import { withRoute } from "@/lib/http/route-guard";

/** Firing alert groups that still need someone, for the banner above every console page. */
export const GET = withRoute({ permission: "alerts.read", name: "GET /api/alerts/banner" }, async (_request, ctx) => NextResponse.json(await bannerGroups(ctx.db), { headers: { "cache-control": "no-store" } }));
