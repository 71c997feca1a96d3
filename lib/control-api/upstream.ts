import "server-only";
import type { z } from "zod";
import { UpstreamError, ValidationError } from "@/lib/errors";
import { joinOutbound } from "@/lib/environments/outbound";

// One HTTP exchange with a system Sitrep talks to. Network failures, timeouts, error statuses and
// malformed bodies all become an UpstreamError whose message a person can act on.

export type UpstreamTarget = {
  /** Shown in messages: "control API", "runtime API". */
  name: string;
  baseUrl: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
};

export type RawResponse = {
  status: number;
  statusText: string;
  contentType: string;
  text: string;
  /** Parsed JSON when the body is JSON, else undefined. */
  json: unknown;
  durationMs: number;
  url: string;
};

/** An error status from the upstream, with the body it sent (shown in step output). */
export class UpstreamHttpError extends UpstreamError {
  constructor(
    message: string,
    upstream: string,
    code: "http_4xx" | "http_5xx",
    httpStatus: number,
    readonly response: RawResponse,
  ) {
    super(message, upstream, code, httpStatus);
  }
}

export const DEFAULT_TIMEOUT_MS = 10_000;

function networkReason(error: unknown): { code: "timeout" | "unreachable"; detail: string } {
  const err = error as { name?: string; cause?: { code?: string; message?: string }; message?: string };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return { code: "timeout", detail: "timed out" };
  const code = err?.cause?.code;
  if (code === "ECONNREFUSED") return { code: "unreachable", detail: "refused the connection (is it running?)" };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { code: "unreachable", detail: "host name could not be resolved" };
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return { code: "unreachable", detail: "closed the connection unexpectedly" };
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return { code: "timeout", detail: "timed out" };
  const message = err?.cause?.message ?? err?.message ?? "";
  if (/bad port/i.test(message)) return { code: "unreachable", detail: "uses a port that HTTP clients refuse to call (a blocked port such as 9 or 25)" };
  return { code: "unreachable", detail: message ? `could not be reached (${message})` : "could not be reached" };
}

/** Sends one request. Any HTTP status is returned; only transport failures throw. */
export async function send(
  target: UpstreamTarget,
  request: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
): Promise<RawResponse> {
  // Throws (nothing is sent) when the path would leave the configured base URL.
  const url = joinOutbound(target.baseUrl, request.path, target.name).toString();
  const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        accept: "application/json, text/plain;q=0.9",
        ...(request.body !== undefined ? { "content-type": "application/json" } : {}),
        ...target.headers,
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
      cache: "no-store",
    });
  } catch (error) {
    const reason = networkReason(error);
    const detail = reason.code === "timeout" ? `did not answer within ${timeoutMs} ms` : reason.detail;
    throw new UpstreamError(`The ${target.name} at ${target.baseUrl} ${detail} (${request.method} ${request.path}).`, target.name, reason.code);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const reason = networkReason(error);
    throw new UpstreamError(`The ${target.name} at ${target.baseUrl} stopped while sending its answer to ${request.method} ${request.path}.`, target.name, reason.code);
  }
  const contentType = response.headers.get("content-type") ?? "";
  let json: unknown;
  if (contentType.includes("json") || /^\s*[[{]/.test(text)) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return {
    status: response.status,
    statusText: response.statusText,
    contentType,
    text,
    json,
    durationMs: Math.round(performance.now() - started),
    url,
  };
}

/** The upstream's own explanation of an error, when it gave one. */
export function upstreamMessage(response: RawResponse): string {
  const body = response.json as { message?: unknown; error?: unknown; detail?: unknown } | undefined;
  const parts = [body?.error, body?.message ?? body?.detail].filter((p): p is string => typeof p === "string" && p.length > 0);
  if (parts.length) return parts.join(": ");
  return response.text.trim().slice(0, 300) || response.statusText || "no details";
}

/** Throws UpstreamHttpError for a 4xx/5xx answer. */
export function ensureOk(target: UpstreamTarget, request: { method: string; path: string }, response: RawResponse): RawResponse {
  if (response.status >= 200 && response.status < 400) return response;
  const code = response.status >= 500 ? "http_5xx" : "http_4xx";
  const what = response.status >= 500 ? "failed" : "refused the request";
  throw new UpstreamHttpError(
    `The ${target.name} ${what}: ${request.method} ${request.path} → HTTP ${response.status} (${upstreamMessage(response)}).`,
    target.name,
    code,
    response.status,
    response,
  );
}

/** Validates a JSON answer against the contract; a mismatch is an upstream error, not a crash. */
export function parseBody<S extends z.ZodType>(target: UpstreamTarget, request: { method: string; path: string }, response: RawResponse, schema: S): z.output<S> {
  if (response.json === undefined) {
    throw new UpstreamError(
      `The ${target.name} answered ${request.method} ${request.path} with something that is not JSON (HTTP ${response.status}).`,
      target.name,
      "invalid_response",
      response.status,
    );
  }
  const parsed = schema.safeParse(response.json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpstreamError(
      `The ${target.name} answered ${request.method} ${request.path} in an unexpected shape (${issue.path.join(".") || "body"}: ${issue.message}).`,
      target.name,
      "invalid_response",
      response.status,
    );
  }
  return parsed.data;
}

/** An operation of an API contract: which requests it covers and what a good answer looks like. */
export type Operation = {
  name: string;
  method: string;
  /** Matches the path without query string. */
  pattern: RegExp;
  /** Schema of a 2xx JSON answer; null for a text answer (Prometheus metrics). */
  schema: z.ZodType | null;
};

export function findOperation(operations: Operation[], method: string, path: string): Operation | undefined {
  const bare = path.split("?")[0];
  return operations.find((op) => op.method === method.toUpperCase() && op.pattern.test(bare));
}

export type CallResult = { operation: string; response: RawResponse; data: unknown };

/**
 * Runs a request named by method and path (as a runbook's curl names it) through the contract:
 * only known operations are sent, and their 2xx answers are validated.
 */
export async function callOperation(
  target: UpstreamTarget,
  operations: Operation[],
  request: { method: string; path: string; body?: unknown },
): Promise<CallResult> {
  // The origin check comes first: its message says what the path tried to do.
  joinOutbound(target.baseUrl, request.path, target.name);
  const operation = findOperation(operations, request.method, request.path);
  if (!operation) {
    throw new ValidationError(`${request.method} ${request.path} is not part of the ${target.name} contract Sitrep knows, so it was not sent.`);
  }
  const response = ensureOk(target, request, await send(target, request));
  const data = operation.schema ? parseBody(target, request, response, operation.schema) : response.text;
  return { operation: operation.name, response, data };
}
