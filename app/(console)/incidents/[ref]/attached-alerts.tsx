import type { Ctx } from "@/lib/context";
import { activeTriggers } from "@/lib/triggers";

/**
 * The header's alerts slot: the triggers this incident was declared from, firing or cleared.
 * The alerts area replaces this with its own component once Alertmanager alerts can be attached.
 */
export async function AttachedAlerts({ ctx, incidentId }: { ctx: Ctx; incidentId: string }) {
  const attached = (await activeTriggers(ctx.db, 24 * 3_600_000)).filter((t) => t.declaredIncidentId === incidentId);
  if (attached.length === 0) return <span className="text-muted">none attached</span>;
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Attached alerts">
      {attached.map((t) => (
        <li key={t.stateId} className={`badge border ${t.firing ? "border-sev1 text-sev1" : "border-line text-muted"}`}>
          {t.ruleName} · {t.environmentName} · {t.firing ? "firing" : "cleared"}
        </li>
      ))}
    </ul>
  );
}
