import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/auth/permissions";
import { getRunbookView, UNCATEGORISED } from "@/lib/runbooks";
import { listEnvironmentAddresses } from "@/lib/runbooks/addresses";
import { getRunbookHealth } from "@/lib/drills";
import { RunbookHealthBadge, StatusBadge } from "../status-badge";
import { formatTime } from "../format";
import { RunDrillButton } from "../../drills/run-drill-button";
import { runContextFor } from "./run-context";
import { ArchiveForm } from "./archive-form";
import { DocumentView } from "./document-view";
import { EnvironmentPicker } from "./environment-picker";
import { PendingRunbook } from "./pending-runbook";
import { RunbookSide } from "./runbook-side";

export const metadata: Metadata = { title: "Runbook" };

type Search = { incident?: string | string[]; env?: string | string[]; view?: string | string[] };

export default async function RunbookPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Search> }) {
  const { slug } = await params;
  const sp = await searchParams;
  // Opened from an incident (?incident=INC-12): the run forms preselect it.
  const incidentRef = typeof sp.incident === "string" ? sp.incident.slice(0, 20) : undefined;
  const ctx = await pageContext("runbooks.read", `/runbooks/${slug}`);
  if (!ctx) return <Forbidden what="the runbook library" />;
  const view = await orNotFound(getRunbookView(ctx, slug));
  const canEdit = can(ctx.actor.role, "runbooks.edit");
  const { runbook, current } = view;
  if (!current) return <PendingRunbook view={view} canEdit={canEdit} />;

  const parsed = current.parsed;
  const health = can(ctx.actor.role, "drills.read") ? (await getRunbookHealth(ctx, [runbook.slug]))[runbook.slug] : undefined;
  const environments = await listEnvironmentAddresses(ctx);
  const wanted = typeof sp.env === "string" ? sp.env : null;
  const environment = environments.find((e) => e.name === wanted) ?? environments.find((e) => e.name === "reference") ?? environments[0] ?? null;
  const forIncident = incidentRef ? (await runContextFor(runbook.slug, incidentRef))?.forIncident : null;
  const showSource = sp.view === "source";
  const meta = parsed.metadata;
  const query = (extra: Record<string, string>) => `?${new URLSearchParams({ ...(environment ? { env: environment.name } : {}), ...(incidentRef ? { incident: incidentRef } : {}), ...extra })}`;
  const commitHref = current.commitId && view.repository?.commitUrlTemplate ? view.repository.commitUrlTemplate.replace("{commit}", current.commitId) : `/runbooks/${runbook.slug}/revisions#rev-${current.number}`;
  return (
    <div className="max-w-7xl space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/runbooks" className="text-accent hover:underline">Runbooks</Link>
      </nav>
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">{runbook.title}</h1>
        {runbook.archivedAt && (
          <p role="note" className="panel border-sev2 text-sm" data-testid="archived-note">
            Archived on {formatTime(runbook.archivedAt)}{runbook.archivedReason ? `: ${runbook.archivedReason}` : ""}. It is hidden from the catalog; its history is kept.
          </p>
        )}
        <div className="flex flex-wrap items-center gap-2 text-sm text-muted">
          {health ? <RunbookHealthBadge health={health} /> : <StatusBadge status={view.status} />}
          <span>{runbook.category ?? UNCATEGORISED}</span>
          {meta.severity && <span>· {meta.severity}</span>}
          {meta.owner && <span>· owner {meta.owner}</span>}
          {runbook.alertNames.map((a) => (
            <Link key={a} href={`/runbooks?${new URLSearchParams({ alert: a })}`} className="badge bg-bg font-mono text-xs" title="Alert this runbook answers">{a}</Link>
          ))}
          {runbook.tags.map((t) => (
            <Link key={t} href={`/runbooks?${new URLSearchParams({ tag: t })}`} className="badge border border-line text-xs">#{t}</Link>
          ))}
        </div>
        <p className="text-sm text-muted" data-testid="revision-line">
          Revision {current.number} by {current.authorName ?? "system"} on {formatTime(current.createdAt)}
          {current.commitId && (
            <>
              {" "}· commit{" "}
              <a href={commitHref} className="font-mono text-accent underline" title={current.commitId} data-testid="revision-commit">{current.commitId.slice(0, 12)}</a>
              {current.commitAuthor ? ` by ${current.commitAuthor}` : ""}
              {current.commitDate ? ` on ${formatTime(current.commitDate)}` : ""}
              {current.sourcePath ? <> · <span className="font-mono">{current.sourcePath}</span></> : null}
              {view.repository ? ` in ${view.repository.name}` : ""}
            </>
          )}
          {" "}· <span title={current.sha256}>sha256 {current.sha256.slice(0, 12)}</span>
        </p>
        <div className="flex flex-wrap items-center gap-2">
          {canEdit && !runbook.archivedAt && <Link href={`/runbooks/${runbook.slug}/edit`} className="btn-primary">Edit</Link>}
          {can(ctx.actor.role, "drills.run") && !runbook.archivedAt && <RunDrillButton slug={runbook.slug} stale={view.status === "stale"} reason={health?.staleReason} />}
          <Link href={`/runbooks/${runbook.slug}/revisions`} className="btn">History ({view.revisions.length})</Link>
          <Link href={`/runbooks/${runbook.slug}${query(showSource ? {} : { view: "source" })}`} className="btn">{showSource ? "Show document" : "Show source"}</Link>
          <a href={`/runbooks/${runbook.slug}/export`} className="btn" download>Export markdown</a>
          {can(ctx.actor.role, "runbooks.archive") && <ArchiveForm slug={runbook.slug} version={runbook.version} archived={!!runbook.archivedAt} />}
        </div>
      </header>

      {forIncident && (
        <p role="note" className="panel border-accent text-sm" data-testid="run-for-incident">
          Opened for <Link className="font-semibold text-accent underline" href={`/incidents/${forIncident.ref}`}>{forIncident.ref} · {forIncident.title}</Link>: steps you run here are recorded on its timeline unless you pick another incident in the run form.
        </p>
      )}

      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-[minmax(0,1fr)_17rem]">
        <main className="panel min-w-0 space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-line pb-2">
            <EnvironmentPicker environments={environments.map((e) => ({ name: e.name, production: e.production }))} current={environment?.name ?? null} />
            {environment && <p className="text-xs text-muted">Addresses are shown as in <strong>{environment.name}</strong>: control API {environment.control ?? "not configured"}, runtime API {environment.runtime ?? "not configured"}.</p>}
          </div>
          {showSource ? (
            <pre className="overflow-x-auto whitespace-pre-wrap font-mono text-xs" aria-label="Markdown source" data-testid="runbook-source">{current.markdown}</pre>
          ) : current.document ? (
            <DocumentView document={current.document} steps={parsed.steps} slug={runbook.slug} revisionId={current.id} incidentRef={forIncident?.ref} environment={environment} />
          ) : (
            <>
              <p role="note" className="text-sm text-sev3">This revision was stored by an earlier version of the console and is shown as written; it is read again when the console starts.</p>
              <pre className="overflow-x-auto whitespace-pre-wrap font-mono text-xs">{current.markdown}</pre>
            </>
          )}
        </main>
        <RunbookSide view={view} />
      </div>
    </div>
  );
}
