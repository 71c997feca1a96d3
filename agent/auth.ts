import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Request signing between the console and a host agent. The signature covers the method,
// the path (with query), the timestamp, a one-time nonce and the SHA-256 of the body, keyed
// with the agent's own secret. Shared by the agent (verify) and the client (sign).

export const HEADERS = {
  agentId: "x-sitrep-agent-id",
  timestamp: "x-sitrep-timestamp",
  nonce: "x-sitrep-nonce",
  signature: "x-sitrep-signature",
  /** Response header carrying the execution id (also in the first `accepted` event). */
  execId: "x-sitrep-exec-id",
} as const;

export const DEFAULT_WINDOW_MS = 30_000;

export function bodyHash(body: string | Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

export function canonical(method: string, path: string, timestamp: string, nonce: string, body: string | Buffer): string {
  return [method.toUpperCase(), path, timestamp, nonce, bodyHash(body)].join("\n");
}

export function sign(secret: string, method: string, path: string, timestamp: string, nonce: string, body: string | Buffer): string {
  return createHmac("sha256", secret).update(canonical(method, path, timestamp, nonce, body)).digest("hex");
}

/** Headers for one signed request. A fresh nonce every call. */
export function signedHeaders(agentId: string, secret: string, method: string, path: string, body: string | Buffer, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  const nonce = randomBytes(16).toString("hex");
  return {
    [HEADERS.agentId]: agentId,
    [HEADERS.timestamp]: timestamp,
    [HEADERS.nonce]: nonce,
    [HEADERS.signature]: sign(secret, method, path, timestamp, nonce, body),
  };
}

export type AuthFailure = { code: "UNSIGNED" | "UNKNOWN_AGENT" | "BAD_SIGNATURE" | "STALE_REQUEST" | "REPLAYED_NONCE"; message: string };

/** Remembers nonces for as long as their request could still be inside the window. */
export class NonceCache {
  private seen = new Map<string, number>();
  constructor(private readonly windowMs: number) {}

  /** Returns false when the nonce was already used. */
  use(nonce: string, now: number): boolean {
    if (this.seen.size > 10_000) this.prune(now);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now + 2 * this.windowMs);
    return true;
  }

  private prune(now: number) {
    for (const [nonce, expires] of this.seen) if (expires <= now) this.seen.delete(nonce);
  }
}

export function verify(
  input: { method: string; path: string; headers: Record<string, string | string[] | undefined>; body: Buffer },
  expected: { agentId: string; secret: string; windowMs: number; nonces: NonceCache; now?: number },
): AuthFailure | null {
  const header = (name: string) => {
    const v = input.headers[name];
    return typeof v === "string" ? v : undefined;
  };
  const agentId = header(HEADERS.agentId);
  const timestamp = header(HEADERS.timestamp);
  const nonce = header(HEADERS.nonce);
  const signature = header(HEADERS.signature);
  if (!agentId || !timestamp || !nonce || !signature) {
    return { code: "UNSIGNED", message: `request is not signed: ${HEADERS.agentId}, ${HEADERS.timestamp}, ${HEADERS.nonce} and ${HEADERS.signature} are required` };
  }
  if (agentId !== expected.agentId) return { code: "UNKNOWN_AGENT", message: `this is agent "${expected.agentId}", not "${agentId}"` };
  if (!/^\d{1,16}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce) || !/^[0-9a-f]{64}$/.test(signature)) {
    return { code: "BAD_SIGNATURE", message: "malformed timestamp, nonce or signature header" };
  }
  const good = Buffer.from(sign(expected.secret, input.method, input.path, timestamp, nonce, input.body), "hex");
  if (!timingSafeEqual(good, Buffer.from(signature, "hex"))) {
    return { code: "BAD_SIGNATURE", message: "signature does not match (wrong secret, or the request was altered)" };
  }
  const now = expected.now ?? Date.now();
  const skew = Math.abs(now - Number(timestamp));
  if (skew > expected.windowMs) {
    return { code: "STALE_REQUEST", message: `request timestamp is ${Math.round(skew / 1000)} s away from the agent's clock (window ${expected.windowMs / 1000} s)` };
  }
  if (!expected.nonces.use(nonce, now)) return { code: "REPLAYED_NONCE", message: "this nonce was already used: replayed request refused" };
  return null;
}
