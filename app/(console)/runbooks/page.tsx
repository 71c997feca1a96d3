import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/app/_components/forbidden";
import { pageContext } from "@/app/_lib/page-context";
import { can } from "@/lib/auth/permissions";
import { type CatalogEntry, getCatalog, UNCATEGORISED } from "@/lib/runbooks";
import { catalogFilterSchema } from "@/lib/runbooks/queries";
import { MAX_RUNBOOK_BYTES } from "@/lib/runbooks/parse";
import { getRunbookHealth } from "@/lib/drills";
import { RunbookHealthBadge, StatusBadge } from "./status-badge";
import { UploadForm } from "./upload-form";

export const metadata: Metadata = { title: "Runbooks" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export default async function RunbooksPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await pageContext("runbooks.read", "/runbooks");
  if (!ctx) return <Forbidden what="the runbook library" />;
  const sp = await searchParams;
  // Came from an incident page: runbook links carry it on, so run forms preselect it.
  const rawIncident = one(sp.incident);
  const incident = rawIncident && /^INC-\d{1,9}$/i.test(rawIncident) ? rawIncident.toUpperCase() : undefined;
  const forIncident = incident ? `?${new URLSearchParams({ incident })}` : "";
  const parsedFilter = catalogFilterSchema.safeParse({
    q: one(sp.q),
    category: one(sp.category),
    alert: one(sp.alert),
    tag: one(sp.tag),
    status: one(sp.status),
    archived: one(sp.archived) === "1" ? true : undefined,
  });
  const filter = parsedFilter.success ? parsedFilter.data : {};
  const catalog = await getCatalog(ctx, filter);
  const canEdit = can(ctx.actor.role, "runbooks.edit");
  const health = can(ctx.actor.role, "drills.read") ? await getRunbookHealth(ctx, catalog.entries.map((e) => e.slug)) : {};
  const groups = new Map<string, CatalogEntry[]>();
  for (const e of catalog.entries) groups.set(e.category, [...(groups.get(e.category) ?? []), e]);
  const filtered = !!(filter.q || filter.category || filter.alert || filter.tag || filter.status || filter.archived);
  return (
    <div className="max-w-5xl space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">Runbooks</h1>
        <div className="flex gap-2">
          {can(ctx.actor.role, "runbooks.sync") && <Link href="/runbooks/repositories" className="btn">Repositories</Link>}
          {canEdit && <Link href="/runbooks/new" className="btn-primary">New runbook</Link>}
        </div>
      </div>

      {incident && (
        <p role="note" className="panel text-sm" data-testid="run-for-incident">
          Choosing a runbook for <Link className="font-semibold text-accent underline" href={`/incidents/${incident}`}>{incident}</Link>: steps run from the runbook you open are recorded on its timeline.
        </p>
      )}

      <form role="search" action="/runbooks" className="panel grid gap-2 sm:grid-cols-[2fr_1fr_1fr_1fr_1fr_auto]" aria-label="Find runbooks">
        {incident && <input type="hidden" name="incident" value={incident} />}
        <div>
          <label htmlFor="runbook-search" className="label">Search</label>
          <input id="runbook-search" name="q" type="search" defaultValue={filter.q ?? ""} placeholder="Titles, alert names, text" className="input" />
        </div>
        <Select id="filter-category" name="category" label="Category" value={filter.category} options={catalog.categories} />
        <Select id="filter-alert" name="alert" label="Alert" value={filter.alert} options={catalog.alertNames} />
        <Select id="filter-tag" name="tag" label="Tag" value={filter.tag} options={catalog.tags} />
        <Select id="filter-status" name="status" label="Status" value={filter.status} options={["validated", "stale", "never", "pending"]} labels={{ never: "never validated", pending: "pending (not written)" }} />
        <div className="flex items-end gap-2">
          <label className="flex items-center gap-1 text-sm"><input type="checkbox" name="archived" value="1" defaultChecked={!!filter.archived} /> Archived</label>
          <button type="submit" className="btn">Filter</button>
          {filtered && <Link href={`/runbooks${forIncident}`} className="btn">Clear</Link>}
        </div>
      </form>

      {canEdit && (
        <section aria-labelledby="upload-heading">
          <h2 id="upload-heading" className="mb-2 text-lg font-semibold">Import markdown</h2>
          <UploadForm maxBytes={MAX_RUNBOOK_BYTES} />
        </section>
      )}

      <p className="text-sm text-muted" data-testid="catalog-count">
        {catalog.entries.length} {filter.archived ? "archived " : ""}runbook{catalog.entries.length === 1 ? "" : "s"}{filtered ? " matching" : ""}
        {catalog.pending.length ? `, ${catalog.pending.length} pending (linked to, not written yet)` : ""}
      </p>

      {catalog.entries.length === 0 && catalog.pending.length === 0 && (
        <p className="panel text-muted">{filtered ? "No runbook matches these filters." : "No runbooks yet. Import markdown files, sync a repository, or create one from the template."}</p>
      )}

      {[...groups.entries()].map(([category, items]) => (
        <section key={category} aria-labelledby={`cat-${slugId(category)}`}>
          <h2 id={`cat-${slugId(category)}`} className="mb-2 text-lg font-semibold">
            {category} <span className="text-sm font-normal text-muted">({items.length})</span>
          </h2>
          <ul className="panel divide-y divide-line p-0" data-testid="catalog-written">
            {items.map((e) => (
              <li key={e.slug} className="flex flex-wrap items-center gap-3 px-4 py-2" data-testid="catalog-entry">
                {health[e.slug] ? <RunbookHealthBadge health={health[e.slug]} /> : <StatusBadge status={e.status} />}
                <div className="min-w-0 flex-1">
                  <Link href={`/runbooks/${e.slug}${forIncident}`} className="font-medium text-accent hover:underline">{e.title}</Link>
                  {e.summary && <p className="text-sm text-muted">{e.summary}</p>}
                  {(e.alertNames.length > 0 || e.tags.length > 0) && (
                    <p className="mt-0.5 flex flex-wrap gap-1 text-xs">
                      {e.alertNames.map((a) => <span key={a} className="badge bg-bg font-mono">{a}</span>)}
                      {e.tags.map((t) => <span key={t} className="badge border border-line">#{t}</span>)}
                    </p>
                  )}
                </div>
                <span className="text-xs text-muted">
                  {e.revision ? `rev ${e.revision} · ${e.steps} steps` : ""}
                  {e.owner ? ` · ${e.owner}` : ""}
                  {e.sourcePath ? ` · ${e.sourcePath}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ))}

      {catalog.pending.length > 0 && (
        <section aria-labelledby="pending-heading">
          <h2 id="pending-heading" className="mb-1 text-lg font-semibold">
            Pending: linked to, not written yet <span className="text-sm font-normal text-muted">({catalog.pending.length})</span>
          </h2>
          <p className="mb-2 text-sm text-muted">Other runbooks link to these files; they appear here until someone writes or imports them.</p>
          <ul className="panel divide-y divide-line p-0" data-testid="catalog-pending">
            {catalog.pending.map((e) => (
              <li key={e.slug} className="flex flex-wrap items-center gap-3 px-4 py-1.5 text-sm" data-testid="catalog-entry">
                <Link href={`/runbooks/${e.slug}${forIncident}`} className="hover:underline">{e.title}</Link>
                <span className="text-xs text-muted">{e.category !== UNCATEGORISED ? e.category : ""}{e.summary ? ` · ${e.summary}` : ""}</span>
                {canEdit && (
                  <Link
                    href={`/runbooks/new?${new URLSearchParams({ slug: e.slug, title: e.title, ...(e.category !== UNCATEGORISED ? { category: e.category } : {}) })}`}
                    className="btn ml-auto"
                    aria-label={`Create ${e.title}`}
                  >
                    Create
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Select({ id, name, label, value, options, labels = {} }: { id: string; name: string; label: string; value?: string; options: string[]; labels?: Record<string, string> }) {
  return (
    <div>
      <label htmlFor={id} className="label">{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""} className="input">
        <option value="">Any</option>
        {options.map((o) => <option key={o} value={o}>{labels[o] ?? o}</option>)}
      </select>
    </div>
  );
}

function slugId(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
