import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { listCatalog, UNCATEGORISED, type CatalogEntry } from "@/lib/runbooks";
import { MAX_RUNBOOK_BYTES } from "@/lib/runbooks/parse";
import { getRunbookHealth } from "@/lib/drills";
import { RunbookHealthBadge, StatusBadge } from "./status-badge";
import { UploadForm } from "./upload-form";

export const metadata: Metadata = { title: "Runbooks" };

export default async function RunbooksPage({ searchParams }: { searchParams: Promise<{ q?: string; incident?: string }> }) {
  const ctx = await pageContext("runbooks.read", "/runbooks");
  if (!ctx) return <Forbidden what="the runbook library" />;
  const { q, incident: rawIncident } = await searchParams;
  // Came from an incident page: runbook links carry it on, so run forms preselect it.
  const incident = typeof rawIncident === "string" && /^INC-\d{1,9}$/i.test(rawIncident) ? rawIncident.toUpperCase() : undefined;
  const forIncident = incident ? `?${new URLSearchParams({ incident })}` : "";
  const entries = await listCatalog(ctx, { q });
  const canEdit = can(ctx.actor.role, "runbooks.edit");
  const health = can(ctx.actor.role, "drills.read") ? await getRunbookHealth(ctx, entries.map((e) => e.slug)) : {};
  const groups = new Map<string, CatalogEntry[]>();
  for (const e of entries) groups.set(e.category, [...(groups.get(e.category) ?? []), e]);
  const counts = entries.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }), {});
  return (
    <div className="max-w-5xl space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Runbooks</h1>
        {canEdit && <Link href="/runbooks/new" className="btn-primary">New runbook</Link>}
      </div>

      {incident && (
        <p role="note" className="panel text-sm" data-testid="run-for-incident">
          Choosing a runbook for <Link className="font-semibold text-accent underline" href={`/incidents/${incident}`}>{incident}</Link>: steps run from the runbook you open are recorded on its timeline.
        </p>
      )}

      <form role="search" action="/runbooks" className="flex gap-2">
        {incident && <input type="hidden" name="incident" value={incident} />}
        <label htmlFor="runbook-search" className="sr-only">Search runbooks</label>
        <input id="runbook-search" name="q" type="search" defaultValue={q ?? ""} placeholder="Search titles, categories and text" className="input max-w-md" />
        <button type="submit" className="btn">Search</button>
        {q && <Link href={`/runbooks${forIncident}`} className="btn">Clear</Link>}
      </form>

      {canEdit && (
        <section aria-labelledby="upload-heading">
          <h2 id="upload-heading" className="mb-2 text-lg font-semibold">Import markdown</h2>
          <UploadForm maxBytes={MAX_RUNBOOK_BYTES} />
        </section>
      )}

      <p className="text-sm text-muted">
        {entries.length} {q ? `matching “${q}”` : "in the library"}
        {Object.keys(counts).length > 0 && ": " + Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(", ")}
      </p>

      {entries.length === 0 && (
        <p className="panel text-muted">{q ? "No runbook matches this search." : "No runbooks yet. Import markdown files or create one from the template."}</p>
      )}

      {[...groups.entries()].map(([category, items]) => (
        <section key={category} aria-labelledby={`cat-${slugId(category)}`}>
          <h2 id={`cat-${slugId(category)}`} className="mb-2 text-lg font-semibold">
            {category} <span className="text-sm font-normal text-muted">({items.length})</span>
          </h2>
          <ul className="panel divide-y divide-line p-0">
            {items.map((e) => (
              <li key={e.slug} className="flex flex-wrap items-center gap-3 px-4 py-2">
                {health[e.slug] ? <RunbookHealthBadge health={health[e.slug]} /> : <StatusBadge status={e.status} />}
                <div className="min-w-0 flex-1">
                  <Link href={`/runbooks/${e.slug}${forIncident}`} className="font-medium text-accent hover:underline">{e.title}</Link>
                  {e.summary && <p className="text-sm text-muted">{e.summary}</p>}
                </div>
                <span className="text-xs text-muted">
                  {e.revision ? `rev ${e.revision} · ${e.steps} steps` : "not written yet"}
                  {e.owner ? ` · ${e.owner}` : ""}
                </span>
                {canEdit && e.status === "pending" && (
                  <Link
                    href={`/runbooks/new?${new URLSearchParams({ slug: e.slug, title: e.title, ...(e.category !== UNCATEGORISED ? { category: e.category } : {}) })}`}
                    className="btn"
                    aria-label={`Create ${e.title}`}
                  >
                    Create
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function slugId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
