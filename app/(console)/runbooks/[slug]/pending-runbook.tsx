import Link from "next/link";
import { type RunbookView, UNCATEGORISED } from "@/lib/runbooks";
import { StatusBadge } from "../status-badge";

/** A runbook other runbooks link to that has no text yet. */
export function PendingRunbook({ view, canEdit }: { view: RunbookView; canEdit: boolean }) {
  const { runbook } = view;
  return (
    <div className="max-w-3xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/runbooks" className="text-accent hover:underline">Runbooks</Link>
      </nav>
      <h1 className="text-2xl font-bold">{runbook.title}</h1>
      <p className="flex items-center gap-2"><StatusBadge status={view.status} /> <span className="text-muted">{runbook.category ?? UNCATEGORISED}</span></p>
      {runbook.summary && <p>{runbook.summary}</p>}
      <p className="panel text-muted">
        This runbook is listed by {view.referencedBy.map((r, i) => (
          <span key={r.slug}>{i > 0 ? ", " : ""}<Link className="text-accent underline" href={`/runbooks/${r.slug}`}>{r.title}</Link></span>
        ))}
        {view.referencedBy.length ? "" : "another runbook"} but has not been written yet.
      </p>
      {canEdit && (
        <Link className="btn-primary" href={`/runbooks/new?${new URLSearchParams({ slug: runbook.slug, title: runbook.title, ...(runbook.category ? { category: runbook.category } : {}) })}`}>
          Create this runbook
        </Link>
      )}
    </div>
  );
}
