import Link from "next/link";
import type { DisplayStatus } from "@/lib/runbooks/status";
import { statusDescriptions } from "@/lib/runbooks/status";
import type { RunbookHealth } from "@/lib/drills/health";

const styles: Record<DisplayStatus, string> = {
  pending: "border border-dashed border-line text-muted",
  draft: "bg-bg text-sev3",
  validated: "bg-bg text-ok",
  stale: "bg-bg text-sev2",
};

/** The runbook's status word; with `reason`, why it is stale (shown, not only in a tooltip). */
export function StatusBadge({ status, reason }: { status: DisplayStatus; reason?: string | null }) {
  return (
    <span className="inline-flex flex-wrap items-baseline gap-1">
      <span className={`badge ${styles[status]}`} title={reason ?? statusDescriptions[status]} data-testid="runbook-status">
        {status}
      </span>
      {status === "stale" && reason && <span className="text-xs text-muted" data-testid="runbook-stale-reason">({reason})</span>}
    </span>
  );
}

const resultTone: Record<string, string> = { passed: "text-ok", passed_with_skips: "text-sev3", failed: "text-sev1" };

/**
 * Status, stale reason with its date, the last drill's exact result (linked) and the mark a finished
 * drill leaves ("drill passed, awaiting sign-off" / "failing"). Props: one object from
 * `getRunbookHealth(ctx, slugs)[slug]` (lib/drills/health.ts). For the catalog row and the runbook header.
 */
export function RunbookHealthBadge({ health, compact = false }: { health: RunbookHealth; compact?: boolean }) {
  const { lastDrill, mark } = health;
  return (
    <span className="inline-flex flex-wrap items-baseline gap-2 text-sm" aria-label={`Runbook health: ${health.summary}`} data-testid="runbook-health">
      <StatusBadge status={health.status} reason={health.staleReason} />
      {mark && (
        <span className={`badge ${mark === "failing" ? "bg-bg text-sev1" : "bg-bg text-sev3"}`} data-testid="runbook-drill-mark">
          {mark === "failing" ? "failing" : "drill passed, awaiting sign-off"}
        </span>
      )}
      {lastDrill && !compact && (
        <span className="text-muted">
          last drill{" "}
          <Link href={lastDrill.href} className={`underline ${lastDrill.result ? resultTone[lastDrill.result] : ""}`} data-testid="runbook-last-drill">
            {lastDrill.label}
          </Link>
          {lastDrill.finishedAt ? ` on ${lastDrill.finishedAt.slice(0, 10)}` : ""}
          {lastDrill.scheduled ? " (scheduled)" : ""}
        </span>
      )}
    </span>
  );
}
