import "server-only";
import { requirePermission } from "@/lib/auth/permissions";
import { recoveryChecksFor, requireRecoveryValidated } from "@/lib/recovery";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { requirePublicResolved } from "@/lib/status/public-checks";
import { parseInput } from "@/lib/validation";
import { onceByKey } from "@/lib/idempotency";
import { attachChecklist, openItems } from "./checklists";
import { readIncidentAt, recordChange, updateIncident, userRef } from "./record";
import { tickItemsProvenByRecovery } from "./recovery-ticks";
import { changeStatusSchema } from "./schemas";
import { STATUS_LABELS, checkTransition, milestonesAfter } from "./state-machine";
import { incidentView, type IncidentView } from "./views";

/** Moves an incident along its lifecycle; the server is the only judge of what is allowed. */
export async function changeStatus(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.manage");
  const data = parseInput(changeStatusSchema, input);
  return onceByKey(ctx.db, ctx.actor, "incident.status.change", data.idempotencyKey, { ...data, idempotencyKey: undefined }, async (tx) => {
    const current = await readIncidentAt(tx, data.incidentId, data.version);
    const verdict = checkTransition(current.status, data.to);
    if (!verdict.allowed) throw new ValidationError(verdict.reason, { to: [verdict.reason] });
    if (verdict.backwards && !data.reason) {
      const msg = `Moving back from ${STATUS_LABELS[current.status].toLowerCase()} needs a reason.`;
      throw new ValidationError(msg, { reason: [msg] });
    }
    // The status page must not be left saying "Monitoring" about an incident nobody works on any more.
    if (data.to === "closed") await requirePublicResolved(tx, current.id);
    if (data.to === "closed") {
      const open = await openItems(tx, current.id, "post_incident");
      if (open === null || open.length > 0) {
        const msg =
          open === null
            ? "The post-incident checklist is missing; an admin can close with an override."
            : `Finish the post-incident checklist first (${open.length} open). An admin can close with an override.`;
        throw new ValidationError(msg, { to: [msg] });
      }
    }
    // Incidents tied to an environment by triage resolve only after recovery validation (or an override).
    if (data.to === "resolved") await requireRecoveryValidated(tx, current.id);
    const now = new Date();
    const updated = await updateIncident(tx, current, data.version, {
      status: data.to,
      ...milestonesAfter(current, data.to, now, userRef(ctx.actor)),
      ...(verdict.backwards ? { closeOverrideReason: null } : {}),
    });
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.status.change",
        targetType: "incident",
        targetId: current.id,
        before: { status: current.status, version: current.version },
        after: { status: updated.status, version: updated.version, reason: data.reason || undefined },
      },
      {
        incidentId: current.id,
        kind: "status.changed",
        occurredAt: now,
        body: `Status ${STATUS_LABELS[current.status]} → ${STATUS_LABELS[updated.status]}${data.reason ? `: ${data.reason}` : ""}`,
        payload: { from: current.status, to: updated.status, backwards: verdict.backwards, reason: data.reason || null },
      },
    );
    // Recovery validation is what monitoring is for, so its checklist arrives with monitoring (or
    // with resolved, when monitoring was skipped), ticked as far as a passed validation proves.
    if (updated.status === "monitoring" || updated.status === "resolved") {
      if (await attachChecklist(tx, ctx.actor, current.id, "recovery_validation")) {
        const [latest] = await recoveryChecksFor(tx, current.id);
        if (latest) await tickItemsProvenByRecovery(tx, ctx.actor, current.id, latest);
      }
    }
    if (updated.status === "resolved") await attachChecklist(tx, ctx.actor, current.id, "post_incident");
    return incidentView(updated);
  });
}
