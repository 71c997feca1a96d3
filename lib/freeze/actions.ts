import "server-only";
import { z } from "zod";
import type { Ctx } from "@/lib/context";
import { writeAudit } from "@/lib/audit";
import { requirePermission } from "@/lib/auth/permissions";
import { requireEnvironment } from "@/lib/environments/queries";
import { requireProductionConfirmation } from "@/lib/environments/production";
import { runtimeApi } from "@/lib/runtime-api";
import { parseInput } from "@/lib/validation";
import { checkFreeze } from "./freeze";
import { PROXIED_ACTIONS } from "./risk";

export const dlqReplaySchema = z.object({
  environmentId: z.string().uuid(),
  jobId: z.string().trim().min(1).max(200),
  approvalId: z.preprocess((v) => (v === "" ? undefined : v), z.string().uuid().optional()),
  confirmProduction: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()).optional(),
});

/** Seed 002 §5 "DLQ replay" proxied to the runtime API; careful, so it goes through checkFreeze. */
export async function replayDlqEntry(ctx: Ctx, input: unknown) {
  requirePermission(ctx.actor, "actions.careful");
  const data = parseInput(dlqReplaySchema, input);
  const environment = await requireEnvironment(ctx.db, data.environmentId);
  requireProductionConfirmation(environment, data.confirmProduction);
  const gate = await checkFreeze(ctx, { environmentId: environment.id, riskClass: PROXIED_ACTIONS["dlq.replay"], action: "dlq.replay", target: data.jobId, approvalId: data.approvalId });
  const client = runtimeApi({ baseUrl: environment.runtimeBaseUrl, operatorToken: environment.runtimeToken });
  const result = (await client.call({ method: "POST", path: `/v1/dlq/${encodeURIComponent(data.jobId)}/replay`, body: {} })).data as { job: { job_id: string; status: string } };
  await ctx.db.transaction(async (tx) => {
    await writeAudit(tx, { actor: ctx.actor, action: "dlq.replay", targetType: "environment", targetId: environment.id, after: { jobId: data.jobId, approvalId: gate.approvalId, status: result.job.status } });
  });
  return { jobId: result.job.job_id, status: result.job.status, approvalId: gate.approvalId };
}
