import { connection, NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { MAX_WEBHOOK_BYTES, receiveWebhook } from "@/lib/alerts";
import { requestId as getRequestId } from "@/lib/auth/session";
import { errorView } from "@/lib/http/to-message";

/**
 * Alert intake for one source. A machine route on purpose: no session and no Origin check
 * (Alertmanager, Grafana and scripts post here), JSON only, and the source's own secret (bearer
 * token or HMAC signature) is the authentication — checked in lib/alerts before anything is read.
 */
export async function POST(request: NextRequest, context: { params: Promise<{ sourceId: string }> }): Promise<Response> {
  await connection();
  const requestId = await getRequestId();
  try {
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > MAX_WEBHOOK_BYTES) return NextResponse.json({ error: `Send at most ${MAX_WEBHOOK_BYTES} bytes per request; split the batch.` }, { status: 413 });
    const { sourceId } = await context.params;
    const answer = await receiveWebhook(await getDb(), { sourceId, headers: request.headers, rawBody: await request.text(), requestId });
    return NextResponse.json(answer.body, { status: answer.status });
  } catch (error) {
    const view = errorView(error, requestId);
    return NextResponse.json({ error: view.message }, { status: view.status });
  }
}
