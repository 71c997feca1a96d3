import "server-only";
import { z } from "zod";
import { callOperation, ensureOk, parseBody, send, type Operation, type UpstreamTarget } from "./upstream";

export { UpstreamHttpError, send, type RawResponse, type UpstreamTarget, type CallResult } from "./upstream";

// Typed client for the platform's control API (DESIGN.md: runs, transitions, resume, slots, health).
// Schemas check the fields Sitrep relies on and keep the rest as sent.

export const FAILURE_REASON_CODES = ["AGENT_TIMEOUT", "DEPLOY_PUSH_FAILED", "DEPLOY_HEALTHCHECK_FAILED"] as const;

export const healthSchema = z.looseObject({ status: z.string() });
export const runSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  failure_reason_code: z.string().nullable().optional(),
});
export const slotSchema = z.looseObject({
  slot_id: z.string().min(1),
  state: z.string(),
  run_id: z.string().nullable(),
});
export const slotsSchema = z.looseObject({ slots: z.array(slotSchema) });
export const waitingSchema = z.looseObject({ queue_reason: z.literal("WAITING_FOR_SLOT"), run_id: z.string() });
export const acquireSchema = z.union([waitingSchema, slotSchema]);
export const reapSchema = z.looseObject({});

export type Run = z.infer<typeof runSchema>;
export type Slot = z.infer<typeof slotSchema>;
export type AcquireResult = { acquired: true; slot: Slot } | { acquired: false; queueReason: "WAITING_FOR_SLOT"; raw: z.infer<typeof waitingSchema> };

const ID = "[^/?#]+";
export const controlOperations: Operation[] = [
  { name: "health", method: "GET", pattern: /^\/health$/, schema: healthSchema },
  { name: "runs.create", method: "POST", pattern: /^\/api\/runs$/, schema: runSchema },
  { name: "runs.list", method: "GET", pattern: /^\/api\/runs$/, schema: z.looseObject({ runs: z.array(runSchema) }) },
  { name: "runs.get", method: "GET", pattern: new RegExp(`^/api/runs/${ID}$`), schema: runSchema },
  { name: "runs.transition", method: "POST", pattern: new RegExp(`^/api/runs/${ID}/transition$`), schema: runSchema },
  { name: "runs.resume", method: "POST", pattern: new RegExp(`^/api/runs/${ID}/resume$`), schema: runSchema },
  { name: "slots.list", method: "GET", pattern: /^\/api\/slots$/, schema: slotsSchema },
  { name: "slots.acquire", method: "POST", pattern: /^\/api\/slots\/acquire$/, schema: acquireSchema },
  { name: "slots.reap", method: "POST", pattern: /^\/api\/slots\/reap-expired$/, schema: reapSchema },
  { name: "slots.release", method: "POST", pattern: new RegExp(`^/api/slots/${ID}/release$`), schema: slotSchema },
];

export type ControlApiOptions = { baseUrl: string; timeoutMs?: number };

export function controlApi(options: ControlApiOptions) {
  const target: UpstreamTarget = { name: "control API", baseUrl: options.baseUrl, timeoutMs: options.timeoutMs };
  const request = async <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown) => {
    const req = { method, path, body };
    return parseBody(target, req, ensureOk(target, req, await send(target, req)), schema);
  };
  const id = (value: string) => encodeURIComponent(value);
  return {
    target,
    health: () => request("GET", "/health", healthSchema),
    createRun: (input: { title: string; prompt: string; route: string }) => request("POST", "/api/runs", runSchema, input),
    getRun: (runId: string) => request("GET", `/api/runs/${id(runId)}`, runSchema),
    transition: (runId: string, input: { to_status: string; failure_reason_code?: string }) =>
      request("POST", `/api/runs/${id(runId)}/transition`, runSchema, input),
    resume: (runId: string) => request("POST", `/api/runs/${id(runId)}/resume`, runSchema, {}),
    listSlots: () => request("GET", "/api/slots", slotsSchema),
    acquireSlot: async (runId: string): Promise<AcquireResult> => {
      const body = await request("POST", "/api/slots/acquire", acquireSchema, { run_id: runId });
      if ("queue_reason" in body && body.queue_reason === "WAITING_FOR_SLOT") {
        return { acquired: false, queueReason: "WAITING_FOR_SLOT", raw: body as z.infer<typeof waitingSchema> };
      }
      return { acquired: true, slot: body as Slot };
    },
    releaseSlot: (slotId: string, runId: string) => request("POST", `/api/slots/${id(slotId)}/release`, slotSchema, { run_id: runId }),
    reapExpired: () => request("POST", "/api/slots/reap-expired", reapSchema, {}),
    /** A request as a runbook names it; refused unless it is a known operation. */
    call: (req: { method: string; path: string; body?: unknown }) => callOperation(target, controlOperations, req),
  };
}

export type ControlApi = ReturnType<typeof controlApi>;
