"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import type { AlertGroupView } from "@/lib/alerts/queries";
import { SEVERITY_LABELS, severityClass } from "./labels";
import { Since } from "./local-time";
import { useAlertsLive } from "./use-alerts-live";

type Banner = { groups: AlertGroupView[]; more: number };

async function fetchBanner(): Promise<Banner> {
  const response = await fetch("/api/alerts/banner", { cache: "no-store" });
  if (!response.ok) return { groups: [], more: 0 };
  return response.json();
}

/**
 * Firing alert groups above every console page, live. A group that led to an incident links to
 * it; the banner goes away when the alerts resolve or that incident is resolved, and it is not
 * shown on the incident's own page nor on the inbox.
 */
export function AlertBanner({ canDeclare }: { canDeclare: boolean }) {
  const pathname = usePathname();
  const { data } = useQuery({ queryKey: ["alerts-banner"], queryFn: fetchBanner, staleTime: 0 });
  useAlertsLive([["alerts-banner"]]);
  if (!data || pathname === "/alerts") return null;
  const here = /^\/incidents\/([^/]+)$/.exec(pathname)?.[1]?.toUpperCase();
  const groups = data.groups.filter((g) => !g.incident || g.incident.ref !== here);
  if (!groups.length) return null;
  return (
    <div className="mb-4 space-y-2" role="region" aria-label="Firing alerts" aria-live="polite">
      {groups.map((g) => {
        const lead = g.alerts.find((a) => a.status === "firing") ?? g.alerts[0];
        if (!lead) return null;
        return (
          <div key={g.key} data-testid={`alert-banner-${lead.name}`} className={`panel flex flex-wrap items-center gap-3 text-sm ${g.severity === "critical" ? "border-sev1" : "border-sev2"}`}>
            <span className={`badge ${severityClass[g.severity]}`}>{SEVERITY_LABELS[g.severity]}</span>
            <Link className="font-medium underline" href={`/alerts/${lead.id}`}>{lead.title}</Link>
            {g.firing > 1 && <span className="text-muted">and {g.firing - 1} more</span>}
            {g.oldestFiringAt && <span className="text-muted"><Since iso={g.oldestFiringAt} prefix="firing for " /></span>}
            {g.incident ? (
              <Link className="btn" href={`/incidents/${g.incident.ref}`} aria-label={`Go to ${g.incident.ref}, declared from this alert`}>{g.incident.ref} · {g.incident.status} →</Link>
            ) : (
              <>
                <span className="text-muted">Suggested {lead.routing.suggestedSeverity}</span>
                {canDeclare && <Link className="btn btn-primary" href={`/alerts/${lead.id}/declare`} aria-label={`Declare from alert: ${lead.title}`}>Declare</Link>}
              </>
            )}
          </div>
        );
      })}
      {data.more > 0 && <p className="text-xs text-muted"><Link className="underline" href="/alerts">{data.more} more firing groups in the inbox</Link></p>}
    </div>
  );
}
