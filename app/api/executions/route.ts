import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { listExecutions, startExecution } from "@/lib/executions";
import { ValidationError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Starts a step execution; answers at once with the running execution (202). */
export const POST = withRoute({ permission: "steps.run", name: "POST /api/executions" }, async (request, ctx) => {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new ValidationError("The request body must be JSON.");
  }
  const execution = await startExecution(ctx, body);
  return NextResponse.json({ execution }, { status: 202 });
});

/** Recent executions of one runbook (?runbook=<slug>). */
export const GET = withRoute({ permission: "runbooks.read", name: "GET /api/executions" }, async (request, ctx) => {
  const slug = request.nextUrl.searchParams.get("runbook");
  if (!slug) throw new ValidationError("Say which runbook: ?runbook=<slug>.");
  return NextResponse.json({ executions: await listExecutions(ctx, slug) });
});
