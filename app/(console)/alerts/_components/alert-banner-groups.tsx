"use client";

import { SoftLink } from "@/app/_components/soft-link";
import type { AlertGroupView } from "@/lib/alerts/queries";
import { SEVERITY_LABELS, severityClass } from "./labels";
import { Since } from "./local-time";

/** The firing groups AlertBanner shows (loaded when there are any). */
export function BannerGroups({ groups, more, canDeclare }: { groups: AlertGroupView[]; more: number; canDeclare: boolean }) {
  return (
    <div className="mb-4 space-y-2" role="region" aria-label="Firing alerts" aria-live="polite">
      {groups.map((g) => {
        const lead = g.alerts.find((a) => a.status === "firing") ?? g.alerts[0];
        if (!lead) return null;
        return (
          <div key={g.key} data-testid={`alert-banner-${lead.name}`} className={`panel flex flex-wrap items-center gap-3 text-sm ${g.severity === "critical" ? "border-sev1" : "border-sev2"}`}>
            <span className={`badge ${severityClass[g.severity]}`}>{SEVERITY_LABELS[g.severity]}</span>
            <SoftLink className="font-medium underline" href={`/alerts/${lead.id}`}>{lead.title}</SoftLink>
            {g.firing > 1 && <span className="text-muted">and {g.firing - 1} more</span>}
            {g.oldestFiringAt && <span className="text-muted"><Since iso={g.oldestFiringAt} prefix="firing for " /></span>}
            {g.incident ? (
              <SoftLink className="btn" href={`/incidents/${g.incident.ref}`} aria-label={`Go to ${g.incident.ref}, declared from this alert`}>{g.incident.ref} · {g.incident.status} →</SoftLink>
            ) : (
              <>
                <span className="text-muted">Suggested {lead.routing.suggestedSeverity}</span>
                {canDeclare && <SoftLink className="btn btn-primary" href={`/alerts/${lead.id}/declare`} aria-label={`Declare from alert: ${lead.title}`}>Declare</SoftLink>}
              </>
            )}
          </div>
        );
      })}
      {more > 0 && <p className="text-xs text-muted"><SoftLink className="underline" href="/alerts">{more} more firing groups in the inbox</SoftLink></p>}
    </div>
  );
}
