import "server-only";
import http from "node:http";
import https from "node:https";
import type { Environment, EnvironmentSurface } from "@/db/schema";
import { controlApi } from "@/lib/control-api";
import { UpstreamHttpError, type RawResponse } from "@/lib/control-api/upstream";
import { runtimeApi } from "@/lib/runtime-api";
import { outboundUrl } from "@/lib/environments/outbound";
import { UpstreamError, ValidationError } from "@/lib/errors";
import type { Assertion, StepCommand } from "@/lib/runbooks/parse";
import { encodeJsonString, encodePath, extractJson, substitute, type Values } from "./substitute";

// An HTTP command of a step, run natively: control and runtime API calls through the typed
// clients against the environment's base URLs, surface checks with a plain request. Never a shell.

export type HttpRequestRan = { kind: "http"; ordinal: number; api: string; method: string; url: string; body?: unknown; headers?: Record<string, string> };
export type AssertionResult = { text: string; path?: string; expected: string; observed: string | null; ok: boolean; enforced: boolean };
export type HttpOutcome = {
  ran: HttpRequestRan;
  status: number;
  /** Response text as the runbook's curl would print it (JSON pretty-printed). */
  output: string;
  json: unknown;
  met: boolean;
  durationMs: number;
  assertions: AssertionResult[];
};

export function resolveRequest(command: StepCommand, values: Values): { method: string; path: string; body?: unknown } {
  const call = command.http!;
  const path = substitute(call.path, values, encodePath);
  if (!call.body) return { method: call.method, path };
  let body: unknown;
  try {
    body = JSON.parse(substitute(call.body.raw, values, encodeJsonString));
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError("This step's request body is not JSON; Sitrep sends JSON request bodies only.");
  }
  return { method: call.method, path, body };
}

/**
 * The environment's surface a runbook URL's port points at: the one configured to answer that
 * runbook port, else the one that really listens on it.
 */
export function surfaceFor(surfaces: EnvironmentSurface[], port: number): EnvironmentSurface | undefined {
  return surfaces.find((s) => s.runbookPorts.includes(port)) ?? surfaces.find((s) => s.port === port);
}

function surfaceRequest(target: URL, method: string, hostHeader: string | undefined, timeoutMs = 10_000): Promise<RawResponse> {
  const started = performance.now();
  const url = target.toString();
  return new Promise((resolve, reject) => {
    const req = (target.protocol === "https:" ? https : http).request(target, { method, headers: hostHeader ? { host: hostHeader } : {}, timeout: timeoutMs });
    req.on("timeout", () => req.destroy(new UpstreamError(`The surface at ${target.origin} did not answer within ${timeoutMs} ms.`, "surface", "timeout")));
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error instanceof UpstreamError) return reject(error);
      const detail = error.code === "ECONNREFUSED" ? "refused the connection (is it running?)" : error.message;
      reject(new UpstreamError(`The surface at ${target.origin} ${detail}.`, "surface", "unreachable"));
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", contentType: String(res.headers["content-type"] ?? ""), text, json, durationMs: Math.round(performance.now() - started), url });
      });
    });
    req.end();
  });
}

function checkAssertions(assertions: Assertion[], json: unknown, text: string): AssertionResult[] {
  return assertions.map((a) => {
    if (a.kind === "json-equals") {
      const observed = json === undefined ? null : (extractJson(json, a.path.split(".")) ?? null);
      // "4th should return …" describes a later attempt; on any other run it is shown, not enforced.
      return { text: a.text, path: a.path, expected: String(a.value), observed, ok: observed === String(a.value), enforced: a.attempt === undefined };
    }
    const ok = text.includes(a.value);
    return { text: a.text, expected: a.value, observed: ok ? a.value : null, ok, enforced: a.attempt === undefined };
  });
}

/** Runs one HTTP command. Transport failures throw UpstreamError; HTTP error statuses are outcomes. */
export async function runHttpCommand(
  command: StepCommand,
  values: Values,
  environment: Pick<Environment, "name" | "controlBaseUrl" | "runtimeBaseUrl" | "runtimeToken">,
  surfaces: EnvironmentSurface[],
): Promise<HttpOutcome> {
  const call = command.http!;
  const request = resolveRequest(command, values);
  let response: RawResponse;
  let ran: HttpRequestRan;
  const started = performance.now();
  if (call.api === "surface") {
    const surface = surfaceFor(surfaces, call.port);
    if (!surface) throw new ValidationError(`This environment has no surface on port ${call.port}; add it under Environments.`);
    const url = outboundUrl(environment, { kind: "surface", surface }, request.path);
    const hostHeader = Object.entries(call.headers).find(([k]) => k.toLowerCase() === "host")?.[1];
    ran = { kind: "http", ordinal: command.ordinal, api: "surface", method: request.method, url: url.toString(), ...(hostHeader ? { headers: { Host: hostHeader } } : {}) };
    response = await surfaceRequest(url, request.method, hostHeader);
  } else {
    const client = call.api === "control" ? controlApi({ baseUrl: environment.controlBaseUrl }) : runtimeApi({ baseUrl: environment.runtimeBaseUrl, operatorToken: environment.runtimeToken });
    ran = { kind: "http", ordinal: command.ordinal, api: call.api, method: request.method, url: client.target.baseUrl + request.path, ...(request.body !== undefined ? { body: request.body } : {}) };
    try {
      response = (await client.call(request)).response;
    } catch (error) {
      if (!(error instanceof UpstreamHttpError)) throw error;
      response = error.response;
    }
  }
  const ok = response.status >= 200 && response.status < 300;
  const succeeded = ok || !call.failOnHttpError;
  const output = response.json !== undefined ? JSON.stringify(response.json, null, 2) : response.text;
  const assertions = ok ? checkAssertions(command.assertions, response.json, response.text) : [];
  const assertionsHold = assertions.every((a) => a.ok || !a.enforced);
  const met = command.expectation.exit === "success" ? succeeded && assertionsHold : !succeeded;
  return { ran, status: response.status, output, json: response.json, met, durationMs: Math.round(performance.now() - started), assertions };
}
