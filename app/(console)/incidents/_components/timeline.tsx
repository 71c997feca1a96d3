"use client";

import { forwardRef, useEffect, useState } from "react";
import { humanize } from "@/app/_lib/humanize";
import type { TimelineFacets } from "@/lib/incidents/timeline-page";
import { KEY_MOMENTS, NO_FILTERS, useStoreValue, type IncidentStore, type TimelineData, type TimelineFilters } from "./incident-store";
import { TimelineRow, type TimelineMe } from "./timeline-row";

type Props = {
  store: IncidentStore;
  me: TimelineMe;
  /** Event kind → its words, from the server; a kind without any reads as words all the same. */
  kindLabels: Record<string, string>;
};

const NO_FACETS: TimelineFacets = { kinds: [], people: [], events: 0 };

/** The timeline, newest first, a page at a time, with filters in words and a search (`/`). */
export const Timeline = forwardRef<HTMLInputElement, Props>(function Timeline({ store, me, kindLabels }, searchRef) {
  const kindLabel = (kind: string) => kindLabels[kind] ?? humanize(kind);
  const [filters, setFilters] = useState<TimelineFilters>(NO_FILTERS);
  const [typed, setTyped] = useState("");
  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.q === typed.trim() ? f : { ...f, q: typed.trim() })), 250);
    return () => clearTimeout(t);
  }, [typed]);
  // The filters' choices come after the page (reading them scans the whole timeline).
  useEffect(() => store.show(filters), [store, filters]);
  const facets = useStoreValue(store, (s) => s.facets) ?? NO_FACETS;
  const current = useStoreValue(store, (s) => s.timeline(filters));
  // Until a new filter's first page is in, the previous one stays on screen.
  const [shown, setShown] = useState<TimelineData | undefined>(current);
  if (current?.pages && current !== shown) setShown(current);
  const pages = (current?.pages ? current : shown)?.pages ?? [];
  const fetching = !!current?.fetching;
  const fetchingNext = !!current?.fetchingNext;
  const hasNextPage = !!pages.at(-1)?.nextCursor;
  const unfiltered = !filters.kind && !filters.actorId && !filters.q;
  const events = pages.flatMap((p) => p.events);
  const revisions = Object.assign({}, ...pages.map((p) => p.revisions));
  return (
    <section aria-labelledby="timeline-heading" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="timeline-heading" className="text-lg font-semibold">Timeline</h2>
        <div className="flex min-w-0 flex-wrap gap-2" role="search" aria-label="Filter the timeline">
          <div className="min-w-0">
            <label className="label" htmlFor="tl-q">Search</label>
            <input ref={searchRef} id="tl-q" type="search" className="input w-44" placeholder="Text or person" maxLength={200} aria-keyshortcuts="/" value={typed} onChange={(e) => setTyped(e.target.value)} />
          </div>
          <div className="min-w-0">
            <label className="label" htmlFor="tl-kind">Show</label>
            <select id="tl-kind" className="input w-auto max-w-full" value={filters.kind} onChange={(e) => setFilters({ ...filters, kind: e.target.value })}>
              <option value="">Everything</option>
              <option value={KEY_MOMENTS}>Key moments only</option>
              {facets.kinds
                .map((k) => [k, kindLabel(k)] as const)
                .sort((a, b) => a[1].localeCompare(b[1]))
                .map(([k, text]) => <option key={k} value={k}>{text}</option>)}
            </select>
          </div>
          <div className="min-w-0">
            <label className="label" htmlFor="tl-person">Person</label>
            <select id="tl-person" className="input w-auto max-w-full" value={filters.actorId} onChange={(e) => setFilters({ ...filters, actorId: e.target.value })}>
              <option value="">Everyone</option>
              {facets.people.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
          </div>
        </div>
      </div>
      <p className="text-xs text-muted" aria-live="polite">
        {unfiltered ? `Newest first · showing ${events.length}${facets.events ? ` of ${facets.events}` : ""} entries` : `Newest first · ${events.length}${hasNextPage ? "+" : ""} matching`}
        {fetching ? " · updating…" : ""}
      </p>
      {current?.error && <p role="alert" className="field-error">{current.error}</p>}
      <ol className="space-y-2" aria-label="Timeline events">
        {events.map((e) => <TimelineRow key={e.seq} incidentId={store.incidentId} event={e} revisions={revisions[e.seq]} me={me} kindLabel={kindLabel(e.kind)} />)}
      </ol>
      {events.length === 0 && !fetching && <p className="text-sm text-muted">Nothing matches these filters.</p>}
      {hasNextPage && (
        <button type="button" className="btn w-full justify-center" disabled={fetchingNext} onClick={() => void store.more(filters)}>
          {fetchingNext ? "Loading…" : "Show older entries"}
        </button>
      )}
    </section>
  );
});
