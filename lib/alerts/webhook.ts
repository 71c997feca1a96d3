import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertSources } from "@/db/schema";
import { log } from "@/lib/log";
import { ingestAlerts, type IngestResult } from "./ingest";
import { PayloadError, parsePayload } from "./parse";
import { verifySecret } from "./secrets";
import { findSourceRow } from "./sources";

// The webhook intake is a machine route: no session and no Origin check (senders are
// Alertmanager, Grafana, scripts), JSON only, authenticated by the source's own secret.

export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export type WebhookRequest = { sourceId: string; headers: Headers; rawBody: string; requestId?: string };
export type WebhookAnswer = { status: number; body: { error?: string; reason?: string } & Partial<IngestResult> };

const UNAUTHORIZED: WebhookAnswer = { status: 401, body: { error: "Unknown source or wrong secret." } };

/** Counts a refused payload against its source (nothing of the payload is stored). */
async function reject(db: Db, sourceId: string, reason: string): Promise<WebhookAnswer> {
  await db
    .update(alertSources)
    .set({ rejectedCount: sql`${alertSources.rejectedCount} + 1`, lastError: reason.slice(0, 500), lastErrorAt: new Date() })
    .where(eq(alertSources.id, sourceId));
  log.warn("alerts.webhook_rejected", { sourceId, reason });
  return { status: 400, body: { error: "The payload was not accepted; nothing was stored.", reason } };
}

/** Authenticate → parse → store the whole batch, or nothing. */
export async function receiveWebhook(db: Db, request: WebhookRequest, now = new Date()): Promise<WebhookAnswer> {
  if (!/^[0-9a-f-]{36}$/i.test(request.sourceId)) return UNAUTHORIZED;
  const source = await findSourceRow(db, request.sourceId);
  if (!source || source.kind === "sitrep" || source.revokedAt) return UNAUTHORIZED;
  if (!verifySecret(source, request.headers, request.rawBody, now.getTime())) return UNAUTHORIZED;
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) return { status: 415, body: { error: "Send the alerts as application/json." } };
  if (Buffer.byteLength(request.rawBody) > MAX_WEBHOOK_BYTES) return reject(db, source.id, `body: larger than ${MAX_WEBHOOK_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch (error) {
    return reject(db, source.id, `body: not valid JSON (${(error as Error).message.slice(0, 120)})`);
  }
  let batch;
  try {
    batch = parsePayload(source, body, now);
  } catch (error) {
    if (error instanceof PayloadError) return reject(db, source.id, error.reason);
    throw error;
  }
  const result = await ingestAlerts(db, source, batch, now, request.requestId);
  return { status: 200, body: result };
}
