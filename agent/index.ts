import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadAllowlist, type Allowlist } from "./allowlist";
import { DEFAULT_WINDOW_MS, HEADERS, NonceCache, verify } from "./auth";
import { PlanError, preparePlan } from "./plan";

type PreparedPlan = ReturnType<typeof preparePlan>;
import { Execution, type ExecEvent } from "./run";

export type { ExecEvent, StopReason } from "./run";
export type { ExecPlan, Expectation } from "./plan";
export { HEADERS as AGENT_HEADERS } from "./auth";

export const AGENT_VERSION = "1";
const MAX_BODY = 256 * 1024;
const MAX_RUNNING = 8;

export type AgentOptions = {
  agentId: string;
  /** The per-agent secret shared with the console (at least 16 characters). */
  secret: string;
  /** Path of the allowlist JSON file. */
  allowlistFile: string;
  host?: string;
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Accepted clock difference for signed requests. Default 30 s. */
  windowMs?: number;
  /** Values for the allowlist's `inheritEnv` names (e.g. SITREP_REFENV_STATE, CONTROL_API_URL). */
  env?: Record<string, string | undefined>;
  /** Structured log sink; silent by default. */
  log?: (entry: Record<string, unknown>) => void;
};

export type RunningAgent = { url: string; port: number; agentId: string; allowlist: Allowlist; stop(): Promise<void> };

type JsonError = { status: number; code: string; message: string; command?: number };

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, error: JsonError) {
  sendJson(res, error.status, { type: "error", code: error.code, message: error.message, ...(error.command !== undefined ? { command: error.command } : {}) });
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw { status: 413, code: "BODY_TOO_LARGE", message: `request body exceeds ${MAX_BODY} bytes` } satisfies JsonError;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(options.agentId)) throw new Error("agent id must be 1-64 letters, digits, '.', '_' or '-'");
  if (options.secret.length < 16) throw new Error("agent secret must be at least 16 characters");
  const allowlist = loadAllowlist(options.allowlistFile, options.env ?? {});
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const nonces = new NonceCache(windowMs);
  const running = new Map<string, Execution>();
  const ended = new Map<string, Promise<boolean>>();
  const log = options.log ?? (() => undefined);
  const startedAt = Date.now();

  const authenticate = (req: http.IncomingMessage, body: Buffer): JsonError | null => {
    const failure = verify(
      { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body },
      { agentId: options.agentId, secret: options.secret, windowMs, nonces },
    );
    if (!failure) return null;
    log({ event: "agent.auth_refused", code: failure.code, path: req.url, remote: req.socket.remoteAddress });
    return { status: 401, ...failure };
  };

  /** Authenticates, parses and checks a plan; answers the refusal itself and returns null. */
  const readPlan = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<PreparedPlan | null> => {
    const body = await readBody(req);
    const authError = authenticate(req, body);
    if (authError) {
      sendError(res, authError);
      return null;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(body.toString("utf8"));
    } catch {
      sendError(res, { status: 400, code: "INVALID_PLAN", message: "request body is not valid JSON" });
      return null;
    }
    try {
      return preparePlan(allowlist, raw);
    } catch (error) {
      if (!(error instanceof PlanError)) throw error;
      log({ event: "agent.plan_refused", code: error.code, message: error.message });
      sendError(res, { status: 422, code: error.code, message: error.message, command: error.command });
      return null;
    }
  };

  // Checks a plan without running it and answers exactly what would run.
  const check = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const prepared = await readPlan(req, res);
    if (!prepared) return;
    sendJson(res, 200, {
      ok: true,
      timeoutMs: prepared.timeoutMs,
      commands: prepared.commands.map((c) => ({
        command: c.index,
        expect: c.expect,
        pipelines: c.pipelines.map((p) => p.map((s) => ({ argv: [s.program, ...s.argv], env: s.env, stdoutTo: s.stdoutTo?.path ?? null }))),
      })),
    });
  };

  const exec = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const prepared = await readPlan(req, res);
    if (!prepared) return;
    const execId = prepared.id ?? randomUUID();
    if (running.has(execId)) return sendError(res, { status: 409, code: "DUPLICATE_EXEC_ID", message: `execution ${execId} is already running` });
    if (running.size >= MAX_RUNNING) return sendError(res, { status: 429, code: "BUSY", message: `this agent already runs ${MAX_RUNNING} executions` });

    res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store", [HEADERS.execId]: execId });
    res.flushHeaders();
    const emit = (event: ExecEvent) => {
      if (!res.writableEnded) res.write(JSON.stringify(event) + "\n");
    };
    const execution = new Execution(execId, allowlist, prepared.commands, prepared.timeoutMs, emit);
    running.set(execId, execution);
    // If the console goes away mid-stream, nothing keeps running unobserved.
    res.on("close", () => {
      if (running.has(execId)) execution.stop("cancelled");
    });
    log({ event: "agent.exec_started", execId, commands: prepared.commands.map((c) => c.pipelines.map((p) => p.map((s) => [s.program, ...s.argv]))) });
    emit({ type: "accepted", execId, commands: prepared.commands.length });
    const finished = execution.run();
    ended.set(execId, finished);
    try {
      const ok = await finished;
      log({ event: "agent.exec_done", execId, ok, reason: execution.stopped });
    } finally {
      running.delete(execId);
      ended.delete(execId);
      res.end();
    }
  };

  const cancel = async (req: http.IncomingMessage, res: http.ServerResponse, execId: string) => {
    const body = await readBody(req);
    const authError = authenticate(req, body);
    if (authError) return sendError(res, authError);
    const execution = running.get(execId);
    if (!execution) return sendError(res, { status: 404, code: "NOT_RUNNING", message: `no running execution ${execId}` });
    execution.stop("cancelled");
    log({ event: "agent.exec_cancelled", execId });
    sendJson(res, 200, { cancelled: true, execId });
  };

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://agent.local");
      const cancelMatch = /^\/v1\/exec\/([A-Za-z0-9-]{8,64})\/cancel$/.exec(url.pathname);
      if (req.method === "GET" && url.pathname === "/v1/health") {
        return sendJson(res, 200, {
          status: "ok",
          agentId: options.agentId,
          version: AGENT_VERSION,
          uptimeS: Math.round((Date.now() - startedAt) / 1000),
          running: running.size,
          workingDirectory: allowlist.cwd,
          programs: allowlist.programs.map((p) => p.name),
          placeholders: Object.fromEntries([...allowlist.placeholders].map(([k, v]) => [k, v.source])),
        });
      }
      if (req.method === "POST" && url.pathname === "/v1/exec") return await exec(req, res);
      if (req.method === "POST" && url.pathname === "/v1/check") return await check(req, res);
      if (req.method === "POST" && cancelMatch) return await cancel(req, res, cancelMatch[1]);
      sendError(res, { status: 404, code: "NOT_FOUND", message: `no route for ${req.method} ${url.pathname}` });
    } catch (error) {
      if (res.headersSent) {
        res.end();
        return;
      }
      const e = error as Partial<JsonError>;
      if (typeof e.status === "number" && typeof e.code === "string") return sendError(res, e as JsonError);
      log({ event: "agent.internal_error", message: (error as Error).message });
      sendError(res, { status: 500, code: "INTERNAL", message: "internal agent error" });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  log({ event: "agent.started", agentId: options.agentId, url, allowlist: allowlist.file, cwd: allowlist.cwd });

  return {
    url,
    port,
    agentId: options.agentId,
    allowlist,
    async stop() {
      // Cancel what runs and let each stream report its `done` (bounded) before closing.
      for (const execution of running.values()) execution.stop("cancelled");
      await Promise.race([Promise.allSettled([...ended.values()]), new Promise((r) => setTimeout(r, 3_000).unref())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
