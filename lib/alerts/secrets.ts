import "server-only";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { AlertSource } from "@/db/schema";

// Webhook senders are machines: they prove who they are with the source's secret, either a
// bearer token (Alertmanager's http_config authorization) or an HMAC-SHA256 signature of the
// body (Grafana's contact point, most generic senders). Tokens are stored only as SHA-256.

export const newSecret = () => `sas_${randomBytes(32).toString("base64url")}`;
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const SIGNATURE_HEADERS = ["x-sitrep-signature", "x-grafana-alerting-signature", "x-hub-signature-256", "x-signature"];
/** A signed timestamp older or newer than this is refused (replays of old bodies). */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "hex");
  const b = Buffer.from(given.trim().toLowerCase().replace(/^sha256=/, ""), "hex");
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** Whether the request carries the source's secret. Constant-time comparisons throughout. */
export function verifySecret(source: Pick<AlertSource, "authMode" | "secretHash" | "hmacKey">, headers: Headers, rawBody: string, now = Date.now()): boolean {
  if (source.authMode === "bearer") {
    const match = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
    return !!match && !!source.secretHash && sameHex(source.secretHash, hashToken(match[1]));
  }
  if (source.authMode === "hmac") {
    if (!source.hmacKey) return false;
    const signature = SIGNATURE_HEADERS.map((h) => headers.get(h)).find(Boolean);
    if (!signature) return false;
    const timestamp = headers.get("x-sitrep-timestamp") ?? headers.get("x-grafana-alerting-signature-timestamp");
    let signed = rawBody;
    if (timestamp) {
      const seconds = Number(timestamp);
      if (!Number.isFinite(seconds) || Math.abs(now - seconds * 1000) > SIGNATURE_TOLERANCE_MS) return false;
      signed = headers.has("x-sitrep-timestamp") ? `${timestamp}.${rawBody}` : `${timestamp}:${rawBody}`;
    }
    return sameHex(createHmac("sha256", source.hmacKey).update(signed).digest("hex"), signature);
  }
  return false;
}

/** For senders and tests: the signature header value for a body. */
export function signBody(key: string, rawBody: string, timestamp?: number): string {
  return `sha256=${createHmac("sha256", key).update(timestamp === undefined ? rawBody : `${timestamp}.${rawBody}`).digest("hex")}`;
}
