import type { ReviewMoment } from "@/db/schema/reviews";
import type { SourceItem, TimelineItem, TimelineSource } from "./types";

// Pure functions over items: merging with the review's work, filtering, gaps.

export type ReviewOverlay = {
  corrections: { itemKey: string; correctedOccurredAt: string; reason: string; correctedByName: string | null; correctedAt: string }[];
  annotations: { id: string; itemKey: string; body: string; createdByName: string | null; createdAt: string }[];
  moments: { moment: ReviewMoment; itemKey: string | null }[];
};

const t = (iso: string) => new Date(iso).getTime();
/** Same instant, same text: "…Z" with milliseconds, so string order is time order. */
const norm = (iso: string) => (iso.length === 24 && iso.endsWith("Z") ? iso : new Date(iso).toISOString());

/** One chronological list: by (corrected) occurred-at, then recorded-at, then key for stability. */
export function mergeTimeline(items: SourceItem[], overlay: ReviewOverlay): TimelineItem[] {
  const corrections = new Map(overlay.corrections.map((c) => [c.itemKey, c]));
  const notes = new Map<string, TimelineItem["annotations"]>();
  for (const a of overlay.annotations) {
    const list = notes.get(a.itemKey) ?? [];
    list.push({ id: a.id, body: a.body, by: a.createdByName, at: a.createdAt });
    notes.set(a.itemKey, list);
  }
  const merged = items.map((item): TimelineItem => {
    const c = corrections.get(item.key);
    return {
      ...item,
      occurredAt: c ? c.correctedOccurredAt : item.occurredAt,
      originalOccurredAt: item.occurredAt,
      correction: c ? { reason: c.reason, by: c.correctedByName, at: c.correctedAt } : null,
      addedInReview: item.source === "review",
      annotations: notes.get(item.key) ?? [],
      moments: overlay.moments.filter((m) => m.itemKey === item.key).map((m) => m.moment),
    };
  });
  // ISO strings in UTC sort as text; compare them directly rather than parsing per comparison.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return merged.sort((a, b) => cmp(norm(a.occurredAt), norm(b.occurredAt)) || cmp(norm(a.recordedAt), norm(b.recordedAt)) || cmp(a.key, b.key));
}

export type TimelineFilter = { sources?: TimelineSource[]; person?: string };

export function filterTimeline(items: TimelineItem[], filter: TimelineFilter): TimelineItem[] {
  return items.filter(
    (i) => (!filter.sources?.length || filter.sources.includes(i.source)) && (!filter.person || (i.person ?? "") === filter.person),
  );
}

export type GapMarker = { afterKey: string; ms: number };

/** Silences longer than `spanMs` between consecutive items (of the list as shown). */
export function findGaps(items: TimelineItem[], spanMs: number): GapMarker[] {
  const gaps: GapMarker[] = [];
  for (let i = 1; i < items.length; i++) {
    const ms = t(items[i].occurredAt) - t(items[i - 1].occurredAt);
    if (ms > spanMs) gaps.push({ afterKey: items[i - 1].key, ms });
  }
  return gaps;
}

export function peopleOf(items: TimelineItem[]): string[] {
  return [...new Set(items.map((i) => i.person).filter((p): p is string => !!p))].sort();
}
