import { describe, expect, it } from "vitest";
import { aggregateDurations, computeDurations, formatDuration, monthKey } from "./durations";
import { csvField, toCsv } from "./csv";
import { filterTimeline, findGaps, mergeTimeline } from "./timeline/merge";
import type { SourceItem } from "./timeline/types";

// A fixture incident with known times: started 10:00, detected 10:07, acknowledged 10:12,
// mitigated 10:45, resolved 11:30 (all UTC, 1 March 2026).
const fixture = {
  started: "2026-03-01T10:00:00.000Z",
  detected: "2026-03-01T10:07:00.000Z",
  acknowledged: "2026-03-01T10:12:00.000Z",
  mitigated: "2026-03-01T10:45:00.000Z",
  resolved: "2026-03-01T11:30:00.000Z",
};
const min = 60_000;

describe("computeDurations", () => {
  it("computes detect, acknowledge, mitigate and resolve from the fixture's key moments", () => {
    expect(computeDurations(fixture)).toEqual({ detect: 7 * min, acknowledge: 5 * min, mitigate: 45 * min, resolve: 90 * min });
  });

  it("leaves a duration empty when a moment is missing or the moments are out of order", () => {
    expect(computeDurations({ ...fixture, acknowledged: null })).toMatchObject({ acknowledge: null, detect: 7 * min });
    expect(computeDurations({ ...fixture, mitigated: "2026-03-01T09:00:00.000Z" }).mitigate).toBeNull();
    expect(computeDurations({})).toEqual({ detect: null, acknowledge: null, mitigate: null, resolve: null });
  });

  it("accepts Date objects as well as ISO strings", () => {
    expect(computeDurations({ started: new Date(fixture.started), resolved: new Date(fixture.resolved) }).resolve).toBe(90 * min);
  });
});

describe("aggregateDurations", () => {
  it("groups by severity and by month with count, mean, median and max", () => {
    const items = [
      { sev: "SEV1", at: fixture.started, d: computeDurations(fixture) },
      { sev: "SEV1", at: "2026-03-20T00:00:00Z", d: { detect: 3 * min, acknowledge: null, mitigate: 15 * min, resolve: 30 * min } },
      { sev: "SEV2", at: "2026-04-02T00:00:00Z", d: { detect: 1 * min, acknowledge: 2 * min, mitigate: 3 * min, resolve: 4 * min } },
    ];
    const bySev = aggregateDurations(items, (i) => i.sev, (i) => i.d);
    expect(bySev.map((r) => [r.key, r.incidents])).toEqual([["SEV1", 2], ["SEV2", 1]]);
    expect(bySev[0].stats.detect).toEqual({ count: 2, mean: 5 * min, median: 5 * min, max: 7 * min });
    expect(bySev[0].stats.acknowledge).toEqual({ count: 1, mean: 5 * min, median: 5 * min, max: 5 * min });
    const byMonth = aggregateDurations(items, (i) => monthKey(i.at), (i) => i.d);
    expect(byMonth.map((r) => r.key)).toEqual(["2026-03", "2026-04"]);
    expect(byMonth[0].stats.resolve.median).toBe(60 * min);
  });
});

describe("formatDuration", () => {
  it("reads well in a table", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(7 * min)).toBe("7 min");
    expect(formatDuration(90 * min)).toBe("1 h 30 min");
    expect(formatDuration(74 * 60 * min)).toBe("3 d 2 h");
  });
});

describe("csv", () => {
  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField("plain")).toBe("plain");
    expect(toCsv(["a", "b"], [[1, null]])).toBe("a,b\r\n1,\r\n");
  });
});

const item = (key: string, occurredAt: string, source: SourceItem["source"] = "incident", person: string | null = "Ann"): SourceItem => ({
  key,
  source,
  kind: "k",
  summary: key,
  person,
  occurredAt,
  recordedAt: occurredAt,
  details: [],
});

describe("merged timeline", () => {
  it("orders by corrected occurred-at, keeps the original, filters and finds gaps", () => {
    const items = [item("event:1", "2026-03-01T10:10:00Z"), item("execution:a", "2026-03-01T10:05:00Z", "execution", "bo@x"), item("event:2", "2026-03-01T11:00:00Z", "note")];
    const merged = mergeTimeline(items, {
      corrections: [{ itemKey: "event:1", correctedOccurredAt: "2026-03-01T10:01:00.000Z", reason: "clock", correctedByName: "R", correctedAt: "2026-03-02T00:00:00Z" }],
      annotations: [{ id: "n1", itemKey: "event:2", body: "late", createdByName: "R", createdAt: "2026-03-02T00:00:00Z" }],
      moments: [{ moment: "detected", itemKey: "execution:a" }],
    });
    expect(merged.map((i) => i.key)).toEqual(["event:1", "execution:a", "event:2"]);
    expect(merged[0]).toMatchObject({ occurredAt: "2026-03-01T10:01:00.000Z", originalOccurredAt: "2026-03-01T10:10:00Z" });
    expect(merged[1].moments).toEqual(["detected"]);
    expect(merged[2].annotations[0].body).toBe("late");
    expect(filterTimeline(merged, { sources: ["execution"] }).map((i) => i.key)).toEqual(["execution:a"]);
    expect(filterTimeline(merged, { person: "Ann" })).toHaveLength(2);
    expect(findGaps(merged, 30 * min)).toEqual([{ afterKey: "execution:a", ms: 55 * min }]);
  });
});
