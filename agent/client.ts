import http from "node:http";
import https from "node:https";
import { UpstreamError } from "../lib/errors";
import { HEADERS, signedHeaders } from "./auth";
import type { ExecPlan } from "./plan";
import type { ExecEvent, StopReason } from "./run";

// Signed client for a host agent, used by the console's server code. Connection problems
// become typed errors: the console can tell "never reached" from "lost mid-step".

export type { ExecEvent, ExecPlan, StopReason };

/** The agent could not be reached (refused, DNS, reset before any response). */
export class AgentUnreachableError extends UpstreamError {
  constructor(upstream: string, detail: string) {
    super(`host agent at ${upstream} is unreachable: ${detail}`, upstream, "unreachable");
  }
}

/** The connection dropped after the agent accepted the request, before it reported `done`. */
export class AgentLostError extends UpstreamError {
  constructor(
    upstream: string,
    detail: string,
    readonly execId: string | null,
  ) {
    super(`lost the connection to host agent at ${upstream} mid-execution (${detail}); the step's outcome is unknown`, upstream, "lost");
  }
}

/** The agent answered but refused (auth, allowlist, invalid input) — nothing ran. */
export class AgentRejectedError extends UpstreamError {
  constructor(
    upstream: string,
    httpStatus: number,
    readonly agentCode: string,
    readonly detail: string,
    readonly command?: number,
  ) {
    super(`host agent refused the request (${agentCode}): ${detail}`, upstream, httpStatus >= 500 ? "http_5xx" : "http_4xx", httpStatus);
  }
}

/** No answer, or no event, within the allowed time. */
export class AgentTimeoutError extends UpstreamError {
  constructor(upstream: string, detail: string) {
    super(`host agent at ${upstream} did not answer in time: ${detail}`, upstream, "timeout");
  }
}

export type PlanCheck = {
  ok: true;
  timeoutMs: number;
  commands: { command: number; expect: "success" | "failure" | "any"; pipelines: { argv: string[]; env: Record<string, string>; stdoutTo: string | null }[][] }[];
};
export type ExecResult = { execId: string; ok: boolean; durationMs: number; reason?: StopReason };
export type AgentHealth = {
  status: "ok";
  agentId: string;
  version: string;
  uptimeS: number;
  running: number;
  workingDirectory: string;
  programs: string[];
  placeholders: Record<string, string>;
};

export type AgentClientOptions = {
  url: string;
  agentId: string;
  secret: string;
  /** Time to get response headers. Default 10 s. */
  connectTimeoutMs?: number;
  /** Longest silence allowed on a running stream before the execution counts as lost. Default: plan timeout + 30 s. */
  idleTimeoutMs?: number;
};

type Raw = { status: number; body: string };

export function createAgentClient(options: AgentClientOptions) {
  const base = new URL(options.url);
  const upstream = base.origin;
  const transport = base.protocol === "https:" ? https : http;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;

  function open(method: "GET" | "POST", pathname: string, body: string | null, signed: boolean) {
    // Fixed paths of the agent protocol on the configured origin (never text from elsewhere).
    const target = new URL(`${upstream}${pathname}`);
    const headers: Record<string, string> = signed ? signedHeaders(options.agentId, options.secret, method, target.pathname + target.search, body ?? "") : {};
    if (body !== null) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    const req = transport.request(target, { method, headers });
    return req;
  }

  function rejection(status: number, text: string): UpstreamError {
    try {
      const parsed = JSON.parse(text) as { code?: string; message?: string; command?: number };
      if (parsed.code) return new AgentRejectedError(upstream, status, parsed.code, parsed.message ?? "", parsed.command);
    } catch {
      // fall through to a generic error
    }
    return new AgentRejectedError(upstream, status, `HTTP_${status}`, text.slice(0, 200));
  }

  function simple(method: "GET" | "POST", pathname: string, body: string | null, signed: boolean): Promise<Raw> {
    return new Promise((resolve, reject) => {
      const req = open(method, pathname, body, signed);
      req.setTimeout(connectTimeoutMs, () => req.destroy(new AgentTimeoutError(upstream, `${method} ${pathname} took over ${connectTimeoutMs} ms`)));
      req.on("error", (error) => reject(error instanceof UpstreamError ? error : new AgentUnreachableError(upstream, error.message)));
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", (error) => reject(new AgentUnreachableError(upstream, error.message)));
      });
      req.end(body ?? undefined);
    });
  }

  return {
    /**
     * Runs a plan and calls onEvent for every streamed event, in order. Resolves on `done`;
     * rejects with AgentRejectedError (nothing ran), AgentUnreachableError, AgentLostError
     * (connection dropped mid-stream) or AgentTimeoutError. If onEvent throws, the stream is
     * closed (the agent cancels the execution) and exec rejects with that error.
     */
    exec(plan: ExecPlan, onEvent: (event: ExecEvent) => void = () => undefined): Promise<ExecResult> {
      const body = JSON.stringify(plan);
      const idleMs = options.idleTimeoutMs ?? (plan.timeoutMs ?? 120_000) + 30_000;
      return new Promise((resolve, reject) => {
        let settled = false;
        let execId: string | null = null;
        const fail = (error: UpstreamError) => {
          if (settled) return;
          settled = true;
          req.destroy();
          reject(error);
        };
        const req = open("POST", "/v1/exec", body, true);
        req.setTimeout(connectTimeoutMs, () => fail(new AgentTimeoutError(upstream, `no response within ${connectTimeoutMs} ms`)));
        req.on("error", (error) => fail(execId === null ? new AgentUnreachableError(upstream, error.message) : new AgentLostError(upstream, error.message, execId)));
        req.on("response", (res) => {
          if (res.statusCode !== 200) {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (text += c));
            res.on("end", () => fail(rejection(res.statusCode ?? 0, text)));
            return;
          }
          execId = typeof res.headers[HEADERS.execId] === "string" ? (res.headers[HEADERS.execId] as string) : null;
          req.setTimeout(idleMs, () => fail(new AgentLostError(upstream, `no output for ${idleMs} ms`, execId)));
          let buffer = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buffer += chunk;
            let newline: number;
            while ((newline = buffer.indexOf("\n")) !== -1) {
              const line = buffer.slice(0, newline);
              buffer = buffer.slice(newline + 1);
              if (line.trim() === "") continue;
              let event: ExecEvent;
              try {
                event = JSON.parse(line) as ExecEvent;
              } catch {
                fail(new AgentLostError(upstream, "received a malformed event line", execId));
                return;
              }
              if (event.type === "accepted") execId = event.execId;
              try {
                onEvent(event);
              } catch (error) {
                // A failing consumer stops the stream; the agent cancels when the connection closes.
                if (!settled) {
                  settled = true;
                  req.destroy();
                  reject(error);
                }
                return;
              }
              if (event.type === "done" && !settled) {
                settled = true;
                resolve({ execId: execId ?? "", ok: event.ok, durationMs: event.durationMs, ...(event.reason ? { reason: event.reason } : {}) });
              }
            }
          });
          res.on("aborted", () => fail(new AgentLostError(upstream, "the connection was reset", execId)));
          res.on("error", (error) => fail(new AgentLostError(upstream, error.message, execId)));
          res.on("close", () => fail(new AgentLostError(upstream, "the stream ended before the agent reported done", execId)));
        });
        req.end(body);
      });
    },

    /** Checks a plan without running it: what exactly would run, or AgentRejectedError. */
    async check(plan: ExecPlan): Promise<PlanCheck> {
      const raw = await simple("POST", "/v1/check", JSON.stringify(plan), true);
      if (raw.status !== 200) throw rejection(raw.status, raw.body);
      return JSON.parse(raw.body) as PlanCheck;
    },

    /** Stops a running execution (its processes get SIGTERM, then SIGKILL). */
    async cancel(execId: string): Promise<{ cancelled: boolean }> {
      const raw = await simple("POST", `/v1/exec/${encodeURIComponent(execId)}/cancel`, "{}", true);
      if (raw.status === 404) return { cancelled: false };
      if (raw.status !== 200) throw rejection(raw.status, raw.body);
      return { cancelled: true };
    },

    async health(): Promise<AgentHealth> {
      const raw = await simple("GET", "/v1/health", null, false);
      if (raw.status !== 200) throw rejection(raw.status, raw.body);
      return JSON.parse(raw.body) as AgentHealth;
    },
  };
}

export type AgentClient = ReturnType<typeof createAgentClient>;
