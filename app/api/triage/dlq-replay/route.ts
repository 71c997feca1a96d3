import { NextResponse } from "next/server";
import { withRoute } from "@/lib/http/route-guard";
import { replayDlqEntry } from "@/lib/freeze";

/** POST {environmentId, jobId, approvalId?}: a careful action, refused during a freeze without an approval. */
export const POST = withRoute({ permission: "actions.careful", name: "dlq.replay" }, async (request, ctx) => {
  const body = await request.json().catch(() => ({}));
  return NextResponse.json(await replayDlqEntry(ctx, body));
});
