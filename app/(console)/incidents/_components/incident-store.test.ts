import { afterEach, describe, expect, it, vi } from "vitest";
import type { IncidentState } from "@/lib/incidents/incident-state";
import type { TimelinePage } from "@/lib/incidents/timeline-page";
import type { TimelineEventView } from "@/lib/incidents/views";
import { IncidentStore, NO_FILTERS } from "./incident-store";

// The command view's data without React: live events into the loaded pages, reads that race with
// live events and with each other.

const ID = "00000000-0000-4000-8000-000000000001";
const event = (seq: number, minute: number, extra: Partial<TimelineEventView> = {}): TimelineEventView => ({
  seq,
  incidentId: ID,
  kind: "note",
  actorId: "u1",
  actorName: "Casey",
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  recordedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  body: `note ${seq}`,
  payload: {},
  keyMoment: null,
  keyMomentLabel: null,
  keyMomentBy: null,
  keyMomentAt: null,
  editedAt: null,
  editedBy: null,
  version: 1,
  html: `<p>note ${seq}</p>`,
  ...extra,
});
const page = (events: TimelineEventView[], nextCursor: string | null = null): TimelinePage => ({ events, revisions: {}, nextCursor });
const state = (latestSeq: number) => ({ incident: { id: ID }, latestSeq }) as unknown as IncidentState;
const seqs = (store: IncidentStore, filters = NO_FILTERS) => store.timeline(filters)?.pages?.flatMap((p) => p.events.map((e) => e.seq));

/** fetch answered by hand, in any order: `respond(url-part, body)` answers the oldest such request, `last` the newest. */
function manualFetch() {
  const waiting: { url: string; resolve: (r: Response) => void }[] = [];
  vi.stubGlobal("fetch", (url: string) => new Promise<Response>((resolve) => waiting.push({ url, resolve })));
  return {
    urls: () => waiting.map((w) => w.url),
    async respond(part: string, body: unknown, last = false) {
      const at = last ? waiting.findLastIndex((w) => w.url.includes(part)) : waiting.findIndex((w) => w.url.includes(part));
      if (at < 0) throw new Error(`no request for ${part}: ${waiting.map((w) => w.url).join(", ")}`);
      const [w] = waiting.splice(at, 1);
      w.resolve(new Response(JSON.stringify(body), { status: 200 }));
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

afterEach(() => vi.unstubAllGlobals());

describe("IncidentStore", () => {
  it("puts a live event at its place in the loaded pages, and leaves older ones for 'Show older entries'", () => {
    manualFetch();
    const store = new IncidentStore(ID, state(3), page([event(3, 30), event(2, 20)], "cursor"));
    store.addLiveEvent(event(4, 25));
    expect(seqs(store)).toEqual([3, 4, 2]);
    // Older than everything loaded while there are older pages: it comes with them.
    store.addLiveEvent(event(5, 10));
    expect(seqs(store)).toEqual([3, 4, 2]);
    // Twice the same event (a replay after a reconnect): once.
    store.addLiveEvent(event(4, 25));
    expect(seqs(store)).toEqual([3, 4, 2]);
  });

  it("keeps events that arrive while the pages are being read again", async () => {
    const http = manualFetch();
    const store = new IncidentStore(ID, state(2), page([event(2, 20)]));
    const done = store.invalidate();
    store.addLiveEvent(event(3, 30));
    // The answer was read before event 3 was written.
    await http.respond("/timeline", page([event(2, 20, { body: "edited" })]));
    await http.respond("/state", state(3));
    await done;
    expect(seqs(store)).toEqual([3, 2]);
    expect(store.timeline(NO_FILTERS)?.pages?.[0].events[1].body).toBe("edited");
  });

  it("keeps the newest read's answer when answers come back out of order", async () => {
    const http = manualFetch();
    const store = new IncidentStore(ID, state(1), page([]));
    const first = store.refreshState();
    const second = store.refreshState();
    await http.respond("/state", state(3), true);
    await second;
    expect(store.state.latestSeq).toBe(3);
    await http.respond("/state", state(2));
    await first;
    expect(store.state.latestSeq).toBe(3);
  });

  it("files a live event under each loaded filter it matches, and counts it in the choices", async () => {
    const http = manualFetch();
    const store = new IncidentStore(ID, state(2), page([event(2, 20)]));
    const mine = { ...NO_FILTERS, actorId: "u2" };
    store.show(mine);
    await http.respond("/facets", { kinds: ["note"], people: [{ id: "u1", name: "Casey" }], events: 2 });
    await http.respond("actorId=u2", page([event(1, 10, { actorId: "u2" })]));
    store.addLiveEvent(event(3, 30, { actorId: "u2", actorName: "Devon", kind: "status.changed" }));
    store.addLiveEvent(event(4, 40));
    expect(seqs(store, mine)).toEqual([3, 1]);
    expect(seqs(store)).toEqual([4, 3, 2]);
    expect(store.facets).toEqual({ kinds: ["note", "status.changed"], people: [{ id: "u1", name: "Casey" }, { id: "u2", name: "Devon" }], events: 4 });
  });

  it("reads the pages again when an event changes another entry", () => {
    const http = manualFetch();
    const store = new IncidentStore(ID, state(2), page([event(2, 20)]));
    store.addLiveEvent(event(3, 30, { kind: "note.edited", payload: { targetSeq: 2 } }));
    expect(http.urls().some((u) => u.includes("/timeline"))).toBe(true);
  });
});
