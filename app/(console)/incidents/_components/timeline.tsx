"use client";

import { useInfiniteQuery, useQuery, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import { forwardRef, useEffect, useState } from "react";
import { eventKindLabel } from "@/app/_lib/labels";
import type { TimelineFacets, TimelinePage } from "@/lib/incidents/timeline-page";
import type { TimelineEventView } from "@/lib/incidents/views";
import { TimelineRow, type TimelineMe } from "./timeline-row";
import { incidentKeys } from "./use-action";

export type TimelineFilters = { kind: string; actorId: string; q: string };
export const NO_FILTERS: TimelineFilters = { kind: "", actorId: "", q: "" };
const KEY_MOMENTS = "key";

async function getJson<T>(url: string, failure: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? failure);
  return response.json();
}

async function fetchPage(incidentId: string, filters: TimelineFilters, before: string): Promise<TimelinePage> {
  const params = new URLSearchParams(Object.entries({ ...filters, before }).filter(([, v]) => v));
  return getJson(`/api/incidents/${incidentId}/timeline?${params}`, "Could not load the timeline.");
}

const newestFirst = (a: TimelineEventView, b: TimelineEventView) => b.occurredAt.localeCompare(a.occurredAt) || b.seq - a.seq;

function matches(event: TimelineEventView, f: TimelineFilters): boolean {
  if (f.kind === KEY_MOMENTS ? !event.keyMoment : f.kind && event.kind !== f.kind) return false;
  if (f.actorId && event.actorId !== f.actorId) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!event.body.toLowerCase().includes(q) && !(event.actorName ?? "").toLowerCase().includes(q)) return false;
  }
  return true;
}

/**
 * A live event into every loaded timeline of the incident whose filters it matches, at its place
 * by time. An event older than everything loaded waits for "Show older entries". Events that
 * change another entry (an edit, a key moment) make the loaded pages reload instead.
 */
export function addLiveEvent(queryClient: QueryClient, incidentId: string, event: TimelineEventView) {
  queryClient.setQueryData<TimelineFacets>(incidentKeys.facets(incidentId), (facets) =>
    facets && {
      kinds: facets.kinds.includes(event.kind) ? facets.kinds : [...facets.kinds, event.kind].sort(),
      people: !event.actorId || facets.people.some((p) => p.id === event.actorId) ? facets.people : [...facets.people, { id: event.actorId, name: event.actorName ?? event.actorId }],
      events: facets.events + 1,
    },
  );
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<TimelinePage>>({ queryKey: incidentKeys.timeline(incidentId) })) {
    if (!data?.pages.length) continue;
    const filters = (key[2] ?? NO_FILTERS) as TimelineFilters;
    if (!matches(event, filters) || data.pages.some((p) => p.events.some((e) => e.seq === event.seq))) continue;
    const [first, ...rest] = data.pages;
    const oldest = first.events.at(-1);
    if (first.nextCursor && oldest && newestFirst(event, oldest) > 0) continue;
    queryClient.setQueryData<InfiniteData<TimelinePage>>(key, { ...data, pages: [{ ...first, events: [...first.events, event].sort(newestFirst) }, ...rest] });
  }
  // An edit or a key moment changes another entry; an entry that arrived without its rendering
  // (too big for the notification) gets it with the reload.
  if (typeof event.payload.targetSeq === "number" || (event.kind === "note" && event.html === undefined)) {
    void queryClient.invalidateQueries({ queryKey: incidentKeys.timeline(incidentId) });
  }
}

type Props = {
  incidentId: string;
  initialPage: TimelinePage;
  me: TimelineMe;
};

const NO_FACETS: TimelineFacets = { kinds: [], people: [], events: 0 };

/** The timeline, newest first, a page at a time, with filters in words and a search (`/`). */
export const Timeline = forwardRef<HTMLInputElement, Props>(function Timeline({ incidentId, initialPage, me }, searchRef) {
  // The filters' choices come after the page: reading them scans the whole timeline.
  const { data: facets = NO_FACETS } = useQuery({
    queryKey: incidentKeys.facets(incidentId),
    queryFn: () => getJson<TimelineFacets>(`/api/incidents/${incidentId}/timeline/facets`, "Could not load the filters."),
    staleTime: 5 * 60_000,
  });
  const [filters, setFilters] = useState<TimelineFilters>(NO_FILTERS);
  const [typed, setTyped] = useState("");
  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.q === typed.trim() ? f : { ...f, q: typed.trim() })), 250);
    return () => clearTimeout(t);
  }, [typed]);
  const unfiltered = !filters.kind && !filters.actorId && !filters.q;
  const query = useInfiniteQuery({
    queryKey: [...incidentKeys.timeline(incidentId), filters],
    queryFn: ({ pageParam }) => fetchPage(incidentId, filters, pageParam),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: unfiltered ? { pages: [initialPage], pageParams: [""] } : undefined,
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  });
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const revisions = Object.assign({}, ...(query.data?.pages.map((p) => p.revisions) ?? []));
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
                .map((k) => [k, eventKindLabel(k)] as const)
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
        {unfiltered ? `Newest first · showing ${events.length}${facets.events ? ` of ${facets.events}` : ""} entries` : `Newest first · ${events.length}${query.hasNextPage ? "+" : ""} matching`}
        {query.isFetching && !query.isFetchingNextPage ? " · updating…" : ""}
      </p>
      {query.isError && <p role="alert" className="field-error">{(query.error as Error).message}</p>}
      <ol className="space-y-2" aria-label="Timeline events">
        {events.map((e) => <TimelineRow key={e.seq} incidentId={incidentId} event={e} revisions={revisions[e.seq]} me={me} />)}
      </ol>
      {events.length === 0 && !query.isFetching && <p className="text-sm text-muted">Nothing matches these filters.</p>}
      {query.hasNextPage && (
        <button type="button" className="btn w-full justify-center" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {query.isFetchingNextPage ? "Loading…" : "Show older entries"}
        </button>
      )}
    </section>
  );
});
