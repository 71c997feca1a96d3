import "server-only";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { requirePublicResolved } from "@/lib/status/public-checks";
import { parseInput } from "@/lib/validation";
import { openItems } from "./checklists";
import { readIncidentAt, recordChange, updateIncident, userRef } from "./record";
import { closeWithOverrideSchema } from "./schemas";
import { milestonesAfter } from "./state-machine";
import { incidentView, type IncidentView } from "./views";

/** Closes a resolved incident whose post-incident checklist is unfinished. Admins only, with a reason. */
export async function closeWithOverride(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.close_override");
  const data = parseInput(closeWithOverrideSchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await readIncidentAt(tx, data.incidentId, data.version);
    if (current.status !== "resolved") throw new ValidationError("Only a resolved incident can be closed.");
    // The override skips the checklist, never the public story.
    await requirePublicResolved(tx, current.id, "reason");
    const skipped = (await openItems(tx, current.id, "post_incident")) ?? [];
    const now = new Date();
    const updated = await updateIncident(tx, current, data.version, {
      status: "closed",
      closeOverrideReason: data.reason,
      ...milestonesAfter(current, "closed", now, userRef(ctx.actor)),
    });
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.close.override",
        targetType: "incident",
        targetId: current.id,
        before: { status: current.status, version: current.version },
        after: { status: updated.status, version: updated.version, reason: data.reason, skippedItems: skipped },
      },
      {
        incidentId: current.id,
        kind: "status.changed",
        occurredAt: now,
        body: `Status Resolved → Closed by admin override (${skipped.length} post-incident item${skipped.length === 1 ? "" : "s"} open): ${data.reason}`,
        payload: { from: current.status, to: "closed", backwards: false, override: true, reason: data.reason, skippedItems: skipped },
      },
    );
    return incidentView(updated);
  });
}
