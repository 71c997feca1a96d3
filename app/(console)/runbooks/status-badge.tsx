import type { DisplayStatus } from "@/lib/runbooks/status";
import { statusDescriptions } from "@/lib/runbooks/status";

const styles: Record<DisplayStatus, string> = {
  pending: "border border-dashed border-line text-muted",
  draft: "bg-bg text-sev3",
  validated: "bg-bg text-ok",
  stale: "bg-bg text-sev2",
};

export function StatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <span className={`badge ${styles[status]}`} title={statusDescriptions[status]} data-testid="runbook-status">
      {status}
    </span>
  );
}
