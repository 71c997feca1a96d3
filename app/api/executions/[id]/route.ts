import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { getExecutionWithOutput } from "@/lib/executions";
import { NotFoundError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** One execution with its stored output (?after=<seq> for what came since). */
export const GET = withRoute<{ id: string }>({ permission: "runbooks.read", name: "GET /api/executions/[id]" }, async (request, ctx, { id }) => {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("That execution does not exist.");
  const after = Number(request.nextUrl.searchParams.get("after") ?? 0) || 0;
  return NextResponse.json(await getExecutionWithOutput(ctx, id, after));
});
