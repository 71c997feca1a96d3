import "server-only";
import { z } from "zod";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { ValidationError } from "@/lib/errors";
import { ensureOk, parseBody, send, type UpstreamTarget } from "@/lib/control-api/upstream";
import { parseInput } from "@/lib/validation";
import { requireProductionConfirmation } from "./production";
import { requireEnvironment } from "./queries";

// Fault switches of an environment that offers them (the reference environment), proxied from
// the server with the token stored for the environment. Admin only; every flip is audited.

export const FAULT_ADMIN_HEADER = "x-refenv-admin-token";
export const FAULT_NAMES = ["stalled_queue", "failing_health", "5xx_burst", "slot_leak", "terminal_error_spike"] as const;

const faultStateSchema = z.looseObject({
  stalled_queue: z.boolean(),
  failing_health: z.array(z.string()),
  "5xx_burst": z.looseObject({ on: z.boolean(), share: z.number() }),
  slot_leak: z.boolean(),
  terminal_error_spike: z.boolean(),
});
const faultsResponse = z.looseObject({ faults: faultStateSchema });
export type FaultState = z.infer<typeof faultStateSchema>;

const checkbox = z.preprocess((v) => {
  // A hidden "false" before a checkbox arrives as ["false", "on"] when ticked: the last value wins.
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last === true || last === "true" || last === "on" || last === "1";
}, z.boolean());
export const setFaultSchema = z.object({
  environmentId: z.string().uuid(),
  fault: z.enum([...FAULT_NAMES, "clear"]),
  on: checkbox.default(true),
  surface: z.string().trim().max(80).optional(),
  share: z.coerce.number().min(0.05).max(1).optional(),
  confirmProduction: checkbox.optional(),
});

async function target(ctx: Ctx, environmentId: string): Promise<{ target: UpstreamTarget; environment: Awaited<ReturnType<typeof requireEnvironment>> }> {
  const environment = await requireEnvironment(ctx.db, environmentId);
  if (!environment.faultToken) throw new ValidationError(`"${environment.name}" has no fault switches (only environments with a fault token do).`);
  return {
    environment,
    target: { name: "fault switches", baseUrl: environment.controlBaseUrl, headers: { [FAULT_ADMIN_HEADER]: environment.faultToken }, timeoutMs: 5_000 },
  };
}

export async function getFaults(ctx: Ctx, environmentId: string): Promise<FaultState> {
  requirePermission(ctx.actor, "faults.manage");
  const { target: t } = await target(ctx, environmentId);
  const req = { method: "GET", path: "/__faults" };
  return parseBody(t, req, ensureOk(t, req, await send(t, req)), faultsResponse).faults;
}

export async function setFault(ctx: Ctx, input: unknown): Promise<FaultState> {
  requirePermission(ctx.actor, "faults.manage");
  const data = parseInput(setFaultSchema, input);
  const { target: t, environment } = await target(ctx, data.environmentId);
  requireProductionConfirmation(environment, data.confirmProduction);
  if (data.fault === "failing_health" && !data.surface) {
    throw new ValidationError("Pick the surface whose health check should fail.", { surface: ["Pick a surface."] });
  }
  const body =
    data.fault === "clear"
      ? { clear: true }
      : data.fault === "failing_health"
        ? { fault: data.fault, surface: data.surface, on: data.on }
        : data.fault === "5xx_burst"
          ? { fault: data.fault, on: data.on, ...(data.share ? { share: data.share } : {}) }
          : { fault: data.fault, on: data.on };
  const before = await getFaults(ctx, data.environmentId);
  const req = { method: "POST", path: "/__faults", body };
  const after = parseBody(t, req, ensureOk(t, req, await send(t, req)), faultsResponse).faults;
  // The switch lives in the other system; the audit entry records that it was flipped from here.
  await ctx.db.transaction(async (tx) => {
    await writeAudit(tx, { actor: ctx.actor, action: "environment.fault.set", targetType: "environment", targetId: environment.id, before, after: { request: body, faults: after } });
  });
  return after;
}
