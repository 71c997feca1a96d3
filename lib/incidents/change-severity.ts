import "server-only";
import { requirePermission } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/context";
import { ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { readIncidentAt, recordChange, updateIncident } from "./record";
import { changeSeveritySchema } from "./schemas";
import { isDowngrade } from "./state-machine";
import { incidentView, type IncidentView } from "./views";

/** Raises or lowers the severity; lowering it needs a reason. */
export async function changeSeverity(ctx: Ctx, input: unknown): Promise<IncidentView> {
  requirePermission(ctx.actor, "incidents.manage");
  const data = parseInput(changeSeveritySchema, input);
  return ctx.db.transaction(async (tx) => {
    const current = await readIncidentAt(tx, data.incidentId, data.version);
    if (current.status === "closed") throw new ValidationError("A closed incident keeps its severity; reopen it first.");
    if (current.severity === data.to) throw new ValidationError(`The incident is already ${data.to}.`, { to: [`Already ${data.to}.`] });
    const downgrade = isDowngrade(current.severity, data.to);
    if (downgrade && !data.reason) {
      throw new ValidationError("Lowering the severity needs a reason.", { reason: ["Say why the severity goes down."] });
    }
    const updated = await updateIncident(tx, current, data.version, { severity: data.to });
    await recordChange(
      tx,
      ctx.actor,
      {
        action: "incident.severity.change",
        targetType: "incident",
        targetId: current.id,
        before: { severity: current.severity, version: current.version },
        after: { severity: updated.severity, version: updated.version, reason: data.reason || undefined },
      },
      {
        incidentId: current.id,
        kind: "severity.changed",
        body: `Severity ${current.severity} → ${updated.severity}${data.reason ? `: ${data.reason}` : ""}`,
        payload: { from: current.severity, to: updated.severity, downgrade, reason: data.reason || null },
      },
    );
    return incidentView(updated);
  });
}
