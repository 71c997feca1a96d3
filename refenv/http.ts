import http from "node:http";
import type { AddressInfo } from "node:net";

// Small helpers shared by every reference-environment listener: JSON in, JSON out, one router.

export type Req = http.IncomingMessage & { pathname: string; query: URLSearchParams };
export type Handler = (req: Req, res: http.ServerResponse, params: Record<string, string>) => Promise<void> | void;
type Route = { method: string; pattern: RegExp; keys: string[]; handler: Handler };

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: http.ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8") {
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const MAX_BODY = 64 * 1024;

/** Reads a JSON object body; an empty body is `{}`. */
export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, "BODY_TOO_LARGE", `request body exceeds ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, "INVALID_JSON", "request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HttpError(400, "INVALID_JSON", "request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, "INVALID_PATH", `malformed percent-encoding in "${part}"`);
  }
}

export class Router {
  private routes: Route[] = [];
  /** Runs before routing; may answer the request itself (returns true) — used by fault injection. */
  before: ((req: Req, res: http.ServerResponse) => boolean) | null = null;

  on(method: string, path: string, handler: Handler) {
    const keys: string[] = [];
    const source = path.replace(/\{(\w+)\}/g, (_, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  handle = async (raw: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(raw.url ?? "/", "http://refenv.local");
    const req = Object.assign(raw, { pathname: url.pathname, query: url.searchParams }) as Req;
    try {
      if (this.before?.(req, res)) return;
      let pathMatched = false;
      for (const route of this.routes) {
        const m = route.pattern.exec(req.pathname);
        if (!m) continue;
        pathMatched = true;
        if (route.method !== req.method) continue;
        const params: Record<string, string> = {};
        route.keys.forEach((k, i) => (params[k] = decodePart(m[i + 1])));
        await route.handler(req, res, params);
        return;
      }
      if (pathMatched) throw new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${req.pathname}`);
      throw new HttpError(404, "NOT_FOUND", `no route for ${req.method} ${req.pathname}`);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(res, error.status, { error: error.code, message: error.message, ...error.extra });
      } else {
        sendJson(res, 500, { error: "INTERNAL", message: error instanceof Error ? error.message : String(error) });
      }
    }
  };
}

export async function listen(handler: http.RequestListener, host: string, port: number): Promise<http.Server> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}

export function portOf(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}

export async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

// Field validation helpers: each throws a 422 naming the field.
export function requireString(body: Record<string, unknown>, field: string, max = 10_000): string {
  const v = body[field];
  if (typeof v !== "string" || v.trim() === "") {
    throw new HttpError(422, "VALIDATION_FAILED", `"${field}" is required and must be a non-empty string`, { field });
  }
  if (v.length > max) throw new HttpError(422, "VALIDATION_FAILED", `"${field}" is longer than ${max} characters`, { field });
  return v;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new HttpError(422, "VALIDATION_FAILED", `"${field}" must be a string`, { field });
  return v;
}

export function limitParam(req: Req, fallback: number, max: number): number {
  const raw = req.query.get("limit");
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new HttpError(422, "VALIDATION_FAILED", `"limit" must be an integer between 1 and ${max}`, { field: "limit" });
  }
  return Number(raw);
}
