import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { orNotFound } from "@/app/_lib/or-not-found";
import { can } from "@/lib/auth/permissions";
import { getRunbookView, UNCATEGORISED } from "@/lib/runbooks";
import type { Section } from "@/lib/runbooks/parse";
import { MarkdownView } from "../markdown-view";
import { RunbookHealthBadge, StatusBadge } from "../status-badge";
import { getRunbookHealth } from "@/lib/drills";
import { StepCard } from "./step-card";
import { RunbookParts } from "./runbook-parts";
import { formatTime } from "../format";
import { RunDrillButton } from "../../drills/run-drill-button";
import { runContextFor } from "./run-context";

export const metadata: Metadata = { title: "Runbook" };

export default async function RunbookPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ incident?: string | string[] }> }) {
  const { slug } = await params;
  const requested = (await searchParams).incident;
  // Opened from an incident (?incident=INC-12): the run forms preselect it.
  const incidentRef = typeof requested === "string" ? requested.slice(0, 20) : undefined;
  const ctx = await pageContext("runbooks.read", `/runbooks/${slug}`);
  if (!ctx) return <Forbidden what="the runbook library" />;
  const view = await orNotFound(getRunbookView(ctx, slug));
  const canEdit = can(ctx.actor.role, "runbooks.edit");
  const { runbook, current } = view;
  const health = can(ctx.actor.role, "drills.read") ? (await getRunbookHealth(ctx, [runbook.slug]))[runbook.slug] : undefined;

  if (!current) {
    return (
      <div className="max-w-3xl space-y-4">
        <Breadcrumb />
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

  const parsed = current.parsed;
  const forIncident = incidentRef ? (await runContextFor(runbook.slug, incidentRef))?.forIncident : null;
  const headingIds = Object.fromEntries(flatten(parsed.sections).map((s) => [s.startLine, s.id]));
  const runbookHrefs = Object.fromEntries(view.links.filter((l) => !l.pending).map((l) => [l.href, l.targetSlug]));
  const meta = parsed.metadata;
  const metaRows: Array<[string, string | undefined]> = [
    ["Scenario", meta.scenario],
    ["Severity", meta.severity],
    ["Owner", meta.owner],
    ["Last updated", meta.lastUpdated],
    ["Last validated (document)", meta.lastValidated],
    ...Object.entries(meta.other).map(([k, v]) => [k, v] as [string, string]),
  ];
  return (
    <div className="max-w-5xl space-y-6">
      <Breadcrumb />
      <header className="space-y-2">
        <h1 className="text-2xl font-bold">{runbook.title}</h1>
        <div className="flex flex-wrap items-center gap-2 text-sm text-muted">
          {health ? <RunbookHealthBadge health={health} /> : <StatusBadge status={view.status} />}
          <span>{runbook.category ?? UNCATEGORISED}</span>
          <span>· revision {current.number} by {current.authorName ?? "system"} on {formatTime(current.createdAt)}</span>
          <span title={current.sha256}>· sha256 {current.sha256.slice(0, 12)}</span>
        </div>
        <div className="flex flex-wrap gap-2">
          {canEdit && <Link href={`/runbooks/${runbook.slug}/edit`} className="btn-primary">Edit</Link>}
          {can(ctx.actor.role, "drills.run") && <RunDrillButton slug={runbook.slug} stale={view.status === "stale"} reason={health?.staleReason} />}
          <Link href={`/runbooks/${runbook.slug}/revisions`} className="btn">History ({view.revisions.length})</Link>
          <a href={`/runbooks/${runbook.slug}/export`} className="btn" download>Export markdown</a>
        </div>
      </header>

      {forIncident && (
        <p role="note" className="panel border-accent text-sm" data-testid="run-for-incident">
          Opened for <Link className="font-semibold text-accent underline" href={`/incidents/${forIncident.ref}`}>{forIncident.ref} · {forIncident.title}</Link>: steps you run here are recorded on its timeline unless you pick another incident in the run form.
        </p>
      )}

      <section aria-labelledby="meta-heading" className="panel">
        <h2 id="meta-heading" className="sr-only">Metadata</h2>
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          {metaRows.filter(([, v]) => v).map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-medium text-muted">{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
          <dt className="font-medium text-muted">In this runbook</dt>
          <dd>
            {parsed.steps.length} steps, {parsed.placeholders.length} inputs, {parsed.checklists.length} checklists, {parsed.tables.length} tables, {view.links.length} runbook links
          </dd>
          {runbook.lastValidatedAt && (
            <>
              <dt className="font-medium text-muted">Last validated (drill)</dt>
              <dd>{formatTime(runbook.lastValidatedAt)}</dd>
            </>
          )}
        </dl>
        {parsed.warnings.length > 0 && (
          <div className="mt-3 text-sm">
            <h3 className="font-semibold text-sev3">Import warnings</h3>
            <ul className="ml-5 list-disc">{parsed.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
          </div>
        )}
      </section>

      <nav aria-label="Contents" className="panel text-sm">
        <h2 className="mb-1 font-semibold">Contents</h2>
        <ul className="ml-4 list-disc">
          <li><a className="text-accent hover:underline" href="#steps">Steps ({parsed.steps.length})</a></li>
          {parsed.checklists.length > 0 && <li><a className="text-accent hover:underline" href="#checklists">Checklists</a></li>}
          {parsed.tables.length > 0 && <li><a className="text-accent hover:underline" href="#tables">Tables</a></li>}
          {view.links.length > 0 && <li><a className="text-accent hover:underline" href="#links">Linked runbooks</a></li>}
          <li><a className="text-accent hover:underline" href="#validation-log">Validation Log</a></li>
          <li>
            <a className="text-accent hover:underline" href="#document">Document</a>
            <Toc sections={parsed.sections} />
          </li>
        </ul>
      </nav>

      <section aria-labelledby="steps" className="space-y-3">
        <h2 id="steps" className="text-xl font-semibold">Steps ({parsed.steps.length})</h2>
        {parsed.steps.length === 0 && <p className="text-muted">No commands in this runbook.</p>}
        {parsed.steps.map((step) => (
          <StepCard key={step.id} step={step} slug={runbook.slug} runbookId={runbook.id} revisionId={current.id} incidentRef={forIncident?.ref} />
        ))}
      </section>

      <RunbookParts view={view} />

      <section aria-labelledby="document" className="panel">
        <h2 id="document" className="text-xl font-semibold">Document</h2>
        <MarkdownView markdown={current.markdown} headingIds={headingIds} runbookHrefs={runbookHrefs} />
      </section>
    </div>
  );
}

function Breadcrumb() {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <Link href="/runbooks" className="text-accent hover:underline">Runbooks</Link>
    </nav>
  );
}

function Toc({ sections }: { sections: Section[] }) {
  if (!sections.length) return null;
  return (
    <ul className="ml-4 list-disc">
      {sections.map((s) => (
        <li key={s.id}>
          <a className="text-accent hover:underline" href={`#doc-${s.id}`}>{s.title}</a>
          <Toc sections={s.children} />
        </li>
      ))}
    </ul>
  );
}

function flatten(sections: Section[]): Section[] {
  return sections.flatMap((s) => [s, ...flatten(s.children)]);
}

