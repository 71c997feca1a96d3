import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { cancelExecution } from "@/lib/executions";

export const dynamic = "force-dynamic";

export const POST = withRoute<{ id: string }>({ permission: "steps.run", name: "POST /api/executions/[id]/cancel" }, async (_request, ctx, { id }) => {
  return NextResponse.json(await cancelExecution(ctx, { id }));
});
