import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { getBoard } from "@/lib/environments";

export const dynamic = "force-dynamic";

/** The health board's data, polled by the page. */
export const GET = withRoute<{ name: string }>({ permission: "environments.read", name: "GET /environments/[name]/health/state" }, async (_request, ctx, { name }) => {
  return NextResponse.json(await getBoard(ctx, decodeURIComponent(name)), { headers: { "cache-control": "no-store" } });
});
