import type { Ctx } from "@/lib/context";
import { incidentAlerts } from "@/lib/alerts";
import { IncidentAlertsChip } from "../../alerts/_components/lazy";

/** The header's alerts slot: the alerts area's live chip for the alerts attached to this incident. */
export async function AttachedAlerts({ ctx, incidentId }: { ctx: Ctx; incidentId: string }) {
  const initial = await incidentAlerts(ctx.db, incidentId);
  if (initial.alerts.length === 0) return <span className="text-muted">none attached</span>;
  return <IncidentAlertsChip incidentId={incidentId} initial={initial} />;
}
