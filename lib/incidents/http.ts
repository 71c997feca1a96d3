import "server-only";
import { ValidationError } from "@/lib/errors";

/**
 * The JSON body of a write request. Requiring the JSON content type means a browser can only send
 * it from our own pages (cross-site it would need a CORS preflight we never grant).
 */
export async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("application/json")) {
    throw new ValidationError("Send the request as application/json.");
  }
  const body = await request.json().catch(() => null);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError("The body must be a JSON object.");
  // An Idempotency-Key header: a retry with the same key returns the first result (lib/idempotency).
  const key = request.headers.get("idempotency-key");
  return key ? { ...(body as Record<string, unknown>), idempotencyKey: key } : (body as Record<string, unknown>);
}
