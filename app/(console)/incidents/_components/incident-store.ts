"use client";

import { createContext, useContext, useSyncExternalStore } from "react";
import type { IncidentState } from "@/lib/incidents/incident-state";
import type { TimelineFacets, TimelinePage } from "@/lib/incidents/timeline-page";
import type { TimelineEventView } from "@/lib/incidents/views";

export type TimelineFilters = { kind: string; actorId: string; q: string };
export const NO_FILTERS: TimelineFilters = { kind: "", actorId: "", q: "" };
export const KEY_MOMENTS = "key";

/** One filter's loaded pages, newest first, and what is being fetched for it. */
export type TimelineData = { pages: TimelinePage[] | null; fetching: boolean; fetchingNext: boolean; error: string | null; at: number; stale: boolean };

const STATE_STALE_MS = 30_000;
const TIMELINE_STALE_MS = 60_000;
const FACETS_STALE_MS = 5 * 60_000;

async function getJson<T>(url: string, failure: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? failure);
  return response.json();
}

const keyOf = (f: TimelineFilters) => JSON.stringify([f.kind, f.actorId, f.q]);
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
 * A live event into loaded pages whose filters it matches, at its place by time. An event older
 * than everything loaded waits for "Show older entries". Unchanged pages come back as they were.
 */
function withEvent(pages: TimelinePage[], filters: TimelineFilters, event: TimelineEventView): TimelinePage[] {
  if (!pages.length || !matches(event, filters) || pages.some((p) => p.events.some((e) => e.seq === event.seq))) return pages;
  const [first, ...rest] = pages;
  const oldest = first.events.at(-1);
  if (first.nextCursor && oldest && newestFirst(event, oldest) > 0) return pages;
  return [{ ...first, events: [...first.events, event].sort(newestFirst) }, ...rest];
}

/**
 * The command view's data: the incident's state, its timeline pages per filter and the filters'
 * choices, kept current by the live stream and by the view's own actions. The newest read of each
 * wins (see latest). Live events that arrive while pages are being read are put into the fresh pages too.
 */
export class IncidentStore {
  state: IncidentState;
  facets: TimelineFacets | null = null;
  private timelines = new Map<string, { filters: TimelineFilters; data: TimelineData }>();
  private active = keyOf(NO_FILTERS);
  private stateAt = Date.now();
  private facetsAt = 0;
  private listeners = new Set<() => void>();
  /** The number of the newest read of each kind ("state", "facets", "timeline <filters>"). */
  private runs = new Map<string, number>();
  /** Live events in arrival order (the newest few hundred), for reads that were under way. */
  private recent: TimelineEventView[] = [];
  private received = 0;

  constructor(
    readonly incidentId: string,
    initialState: IncidentState,
    initialPage: TimelinePage,
  ) {
    this.state = initialState;
    this.timelines.set(this.active, { filters: NO_FILTERS, data: { pages: [initialPage], fetching: false, fetchingNext: false, error: null, at: Date.now(), stale: false } });
  }

  /** The live events received after the `from`th. */
  private since(from: number): TimelineEventView[] {
    return this.recent.slice(Math.max(0, this.recent.length - (this.received - from)));
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  private emit() {
    for (const listener of this.listeners) listener();
  }

  timeline(filters: TimelineFilters): TimelineData | undefined {
    return this.timelines.get(keyOf(filters))?.data;
  }

  private setTimeline(key: string, change: Partial<TimelineData>) {
    const entry = this.timelines.get(key);
    if (!entry) return;
    entry.data = { ...entry.data, ...change };
    this.emit();
  }

  /**
   * Runs `read`; its answer is kept only if no later read of the same name started meanwhile, so
   * the newest answer wins and a change made before a read began is always in what is kept.
   */
  private async latest<T>(name: string, read: () => Promise<T>, keep: (value: T) => void, failed?: (error: Error) => void): Promise<void> {
    const run = (this.runs.get(name) ?? 0) + 1;
    this.runs.set(name, run);
    try {
      const value = await read();
      if (this.runs.get(name) === run) keep(value);
    } catch (error) {
      if (this.runs.get(name) === run) failed?.(error as Error);
    }
  }

  refreshState(): Promise<void> {
    return this.latest(
      "state",
      () => getJson<IncidentState>(`/api/incidents/${this.incidentId}/state`, "Could not load the incident."),
      (state) => {
        this.state = state;
        this.stateAt = Date.now();
        this.emit();
      },
    );
  }

  private loadFacets(): Promise<void> {
    const from = this.received;
    return this.latest(
      "facets",
      () => getJson<TimelineFacets>(`/api/incidents/${this.incidentId}/timeline/facets`, "Could not load the filters."),
      (facets) => {
        // Events that arrived meanwhile may or may not be counted; their kinds and people are added.
        for (const event of this.since(from)) facets = withFacet(facets, event, 0);
        this.facets = facets;
        this.facetsAt = Date.now();
        this.emit();
      },
    );
  }

  private async fetchPage(filters: TimelineFilters, before: string): Promise<TimelinePage> {
    const params = new URLSearchParams(Object.entries({ ...filters, before }).filter(([, v]) => v));
    return getJson(`/api/incidents/${this.incidentId}/timeline?${params}`, "Could not load the timeline.");
  }

  /** Reads a filter's pages again from the newest, as many as were loaded (at least one). */
  private reload(key: string): Promise<void> {
    const entry = this.timelines.get(key);
    if (!entry) return Promise.resolve();
    const from = this.received;
    const wanted = Math.max(1, entry.data.pages?.length ?? 1);
    this.setTimeline(key, { fetching: true });
    return this.latest(
      `timeline ${key}`,
      async () => {
        const pages: TimelinePage[] = [];
        let cursor = "";
        do {
          const page = await this.fetchPage(entry.filters, cursor);
          pages.push(page);
          cursor = page.nextCursor ?? "";
        } while (cursor && pages.length < wanted);
        return pages;
      },
      (pages) => {
        for (const event of this.since(from)) pages = withEvent(pages, entry.filters, event);
        this.setTimeline(key, { pages, fetching: false, error: null, at: Date.now(), stale: false });
      },
      (error) => this.setTimeline(key, { fetching: false, error: error.message }),
    );
  }

  /** The timeline shows these filters: their pages load, or reload if old; the choices load once. */
  show(filters: TimelineFilters) {
    const key = keyOf(filters);
    this.active = key;
    const entry = this.timelines.get(key);
    if (!entry) {
      this.timelines.set(key, { filters, data: { pages: null, fetching: false, fetchingNext: false, error: null, at: 0, stale: true } });
      void this.reload(key);
    } else if (entry.data.stale || Date.now() - entry.data.at > TIMELINE_STALE_MS) void this.reload(key);
    if (!this.facets || Date.now() - this.facetsAt > FACETS_STALE_MS) void this.loadFacets();
  }

  /** "Show older entries": the next page after the last loaded one. */
  async more(filters: TimelineFilters) {
    const key = keyOf(filters);
    const cursor = this.timelines.get(key)?.data.pages?.at(-1)?.nextCursor;
    if (!cursor || this.timelines.get(key)?.data.fetchingNext) return;
    this.setTimeline(key, { fetchingNext: true });
    try {
      const page = await this.fetchPage(filters, cursor);
      const pages = this.timelines.get(key)?.data.pages;
      // A reload meanwhile may have replaced the pages; the page only follows the one it was asked after.
      this.setTimeline(key, { fetchingNext: false, error: null, pages: pages?.at(-1)?.nextCursor === cursor ? [...pages, page] : pages });
    } catch (error) {
      this.setTimeline(key, { fetchingNext: false, error: (error as Error).message });
    }
  }

  /** After a change (an action here, a reconnect): the state and the shown timeline are read again, the other filters when next shown. */
  invalidate(): Promise<void> {
    for (const [key, entry] of this.timelines) if (key !== this.active) entry.data = { ...entry.data, stale: true };
    return Promise.all([this.refreshState(), this.reload(this.active)]).then(() => undefined);
  }

  /** Back to the tab after a while: what has grown old is read again. */
  refreshIfOld() {
    const now = Date.now();
    if (now - this.stateAt > STATE_STALE_MS) void this.refreshState();
    const shown = this.timelines.get(this.active);
    if (shown && now - shown.data.at > TIMELINE_STALE_MS) void this.reload(this.active);
    if (this.facets && now - this.facetsAt > FACETS_STALE_MS) void this.loadFacets();
  }

  /**
   * A live event: into every loaded timeline it matches and into the filters' choices; the state
   * is read again. Events that change another entry (an edit, a key moment) and notes that came
   * without their rendering (too big for the notification) make the pages reload instead.
   */
  addLiveEvent(event: TimelineEventView) {
    this.recent.push(event);
    if (this.recent.length > 500) this.recent.splice(0, this.recent.length - 500);
    this.received++;
    if (this.facets) this.facets = withFacet(this.facets, event);
    for (const entry of this.timelines.values()) {
      const pages = entry.data.pages && withEvent(entry.data.pages, entry.filters, event);
      if (pages !== entry.data.pages) entry.data = { ...entry.data, pages };
    }
    this.emit();
    void this.refreshState();
    if (typeof event.payload.targetSeq === "number" || (event.kind === "note" && event.html === undefined)) void this.invalidate();
  }
}

function withFacet(facets: TimelineFacets, event: TimelineEventView, count = 1): TimelineFacets {
  return {
    kinds: facets.kinds.includes(event.kind) ? facets.kinds : [...facets.kinds, event.kind].sort(),
    people: !event.actorId || facets.people.some((p) => p.id === event.actorId) ? facets.people : [...facets.people, { id: event.actorId, name: event.actorName ?? event.actorId }],
    events: facets.events + count,
  };
}

export const IncidentStoreContext = createContext<IncidentStore | null>(null);

export function useIncidentStore(): IncidentStore | null {
  return useContext(IncidentStoreContext);
}

/** A part of the store, re-rendering when it changes (the store replaces what it changes). */
export function useStoreValue<T>(store: IncidentStore, read: (store: IncidentStore) => T): T {
  const get = () => read(store);
  return useSyncExternalStore(store.subscribe, get, get);
}
