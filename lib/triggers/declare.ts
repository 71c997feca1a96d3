import "server-only";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { triggerStates } from "@/db/schema";
import type { Ctx } from "@/lib/context";
import { requirePermission } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { declareIncident } from "@/lib/incidents";
import { recordChange } from "@/lib/incidents/record";
import type { IncidentView } from "@/lib/incidents";
import { parseInput } from "@/lib/validation";
import { findTrigger } from "./queries";

export const declareFromTriggerSchema = z.object({
  stateId: z.string().uuid(),
  title: z.string().trim().max(200).optional(),
  severity: z.enum(["SEV1", "SEV2", "SEV3"]).optional(),
  surfaces: z.union([z.string(), z.array(z.string())]).optional(),
  summary: z.string().max(5000).optional(),
  // Who takes command; a responder declaring names a commander (see declareIncident).
  commanderId: z.preprocess((v) => (v === "" ? undefined : v), z.string().uuid("Choose a commander.").optional()),
});

/** The values the declare form is pre-filled with for a trigger. */
export function declareDefaults(t: { ruleName: string; environmentName: string; suggestedSeverity: string; surface: string; playbook: string; data: Record<string, unknown> }) {
  return {
    title: `${t.ruleName} (${t.environmentName})`,
    severity: t.suggestedSeverity,
    surfaces: [t.surface],
    summary: `Trigger "${t.ruleName}" fired on ${t.environmentName}. Playbook: ${t.playbook}. Data: ${JSON.stringify(t.data)}`,
  };
}

/**
 * One-click declare from a firing trigger: the incident gets the trigger's surface and suggested
 * SEV (unless the commander changed them) and a `trigger.declared` timeline event with the data.
 */
export async function declareFromTrigger(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.declare");
  const data = parseInput(declareFromTriggerSchema, input);
  const trigger = await findTrigger(ctx.db, data.stateId);
  if (!trigger) throw new NotFoundError("That trigger is no longer known.");
  const defaults = declareDefaults(trigger);
  const incident = await declareIncident(ctx, {
    title: data.title || defaults.title,
    severity: data.severity ?? defaults.severity,
    surfaces: data.surfaces ?? defaults.surfaces,
    summary: data.summary ?? defaults.summary,
    detectedAt: trigger.firingSince ?? undefined,
    commanderId: data.commanderId,
  });
  await ctx.db.transaction(async (tx) => {
    await tx.update(triggerStates).set({ declaredIncidentId: incident.id }).where(eq(triggerStates.id, trigger.stateId));
    await recordChange(
      tx,
      ctx.actor,
      { action: "trigger.declare", targetType: "incident", targetId: incident.id, after: { trigger: trigger.ruleKey, environmentId: trigger.environmentId } },
      {
        incidentId: incident.id,
        kind: "trigger.declared",
        body: `Declared from trigger "${trigger.ruleName}" on ${trigger.environmentName} (playbook: ${trigger.playbook})`,
        payload: { ruleKey: trigger.ruleKey, environmentId: trigger.environmentId, environmentName: trigger.environmentName, suggestedSeverity: trigger.suggestedSeverity, playbook: trigger.playbook, firingSince: trigger.firingSince, data: trigger.data },
      },
    );
  });
  return incident;
}
