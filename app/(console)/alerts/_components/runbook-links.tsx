import Link from "next/link";
import type { AlertView } from "@/lib/alerts/queries";

const VIA: Record<string, string> = { runbook_url: "its runbook_url", alert_name: "its alert name", file_name: "the runbook's file name", section_title: "a section title" };

/** The matched runbook and its Diagnosis/Mitigation (or playbook) sections, one click each. */
export function RunbookLinks({ alert, incidentRef }: { alert: Pick<AlertView, "runbook" | "runbookUrl">; incidentRef?: string }) {
  const rb = alert.runbook;
  const q = incidentRef ? `?${new URLSearchParams({ incident: incidentRef })}` : "";
  if (!rb) {
    return (
      <p className="text-xs text-muted" data-testid="alert-runbook">
        No runbook matched{alert.runbookUrl ? <> (runbook_url <a className="underline" href={/^https?:\/\//.test(alert.runbookUrl) ? alert.runbookUrl : undefined} rel="noreferrer noopener" target="_blank">{alert.runbookUrl}</a> is not in the library)</> : ""}.
      </p>
    );
  }
  const links = [...(rb.section ? [rb.section] : []), ...rb.quick.filter((l) => l.sectionId !== rb.section?.sectionId)];
  return (
    <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm" data-testid="alert-runbook">
      <span>
        Runbook: <Link className="text-accent underline" href={`/runbooks/${rb.slug}${q}`}>{rb.title}</Link>
        <span className="text-xs text-muted"> (matched by {VIA[rb.via]})</span>
      </span>
      {links.map((l) => (
        <Link key={l.label + l.sectionId} className="btn px-2 py-0.5 text-xs" href={`/runbooks/${rb.slug}${q}#doc-${l.sectionId}`} aria-label={`${l.label}: ${rb.title} › ${l.title}`}>
          {l.label}: {l.title}
        </Link>
      ))}
    </p>
  );
}
