import { describe, expect, it } from "vitest";
import { overallUptime, uptimeBars, worstOf } from "./uptime";

const now = new Date("2026-03-10T12:00:00Z");

describe("uptime bars", () => {
  it("gives one bar per day ending today, empty before the component existed", () => {
    const bars = uptimeBars([], "2026-03-09T00:00:00Z", now, 5);
    expect(bars.map((b) => b.date)).toEqual(["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"]);
    expect(bars.slice(0, 3).every((b) => b.worst === null && b.uptime === null)).toBe(true);
    expect(bars[3]).toEqual({ date: "2026-03-09", worst: "operational", uptime: 100, outageMinutes: 0 });
    expect(bars[4].uptime).toBe(100);
  });

  it("counts a major outage today against the part of the day that has passed", () => {
    // 12 hours elapsed today; 3 hours of major outage = 25 % down.
    const bars = uptimeBars(
      [
        { at: "2026-03-10T06:00:00Z", state: "major_outage" },
        { at: "2026-03-10T09:00:00Z", state: "operational" },
      ],
      "2026-01-01T00:00:00Z",
      now,
      2,
    );
    expect(bars[1]).toEqual({ date: "2026-03-10", worst: "major_outage", uptime: 75, outageMinutes: 180 });
    expect(bars[0]).toEqual({ date: "2026-03-09", worst: "operational", uptime: 100, outageMinutes: 0 });
  });

  it("carries a state across midnight and weighs a partial outage half", () => {
    const bars = uptimeBars(
      [
        { at: "2026-03-08T22:00:00Z", state: "partial_outage" },
        { at: "2026-03-09T02:00:00Z", state: "degraded" },
        { at: "2026-03-09T04:00:00Z", state: "operational" },
      ],
      "2026-01-01T00:00:00Z",
      now,
      3,
    );
    // 2 h partial on the 8th = 60 min down of 1440.
    expect(bars[0]).toMatchObject({ date: "2026-03-08", worst: "partial_outage", outageMinutes: 60 });
    expect(bars[0].uptime).toBeCloseTo(95.83, 2);
    // 2 h partial after midnight on the 9th, then degraded (counted as up).
    expect(bars[1]).toMatchObject({ date: "2026-03-09", worst: "partial_outage", outageMinutes: 60 });
    expect(bars[2]).toMatchObject({ date: "2026-03-10", worst: "operational", uptime: 100 });
  });

  it("an ongoing outage fills today up to now", () => {
    const bars = uptimeBars([{ at: "2026-03-10T11:00:00Z", state: "major_outage" }], "2026-01-01T00:00:00Z", now, 1);
    expect(bars[0]).toMatchObject({ worst: "major_outage", outageMinutes: 60 });
    expect(bars[0].uptime).toBeCloseTo(91.67, 2);
  });

  it("maintenance is shown but not counted as downtime; overall uptime averages known days", () => {
    const bars = uptimeBars(
      [
        { at: "2026-03-10T01:00:00Z", state: "maintenance" },
        { at: "2026-03-10T02:00:00Z", state: "operational" },
      ],
      "2026-03-09T00:00:00Z",
      now,
      3,
    );
    expect(bars[2]).toMatchObject({ worst: "maintenance", uptime: 100 });
    expect(overallUptime(bars)).toBe(100);
    expect(overallUptime([{ date: "x", worst: null, uptime: null, outageMinutes: 0 }])).toBeNull();
    expect(worstOf(["degraded", "maintenance", "partial_outage"])).toBe("partial_outage");
  });
});
