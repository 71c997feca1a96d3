import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addNote, changeStatus, declareIncident, ensureIncidentDefaults, markKeyMoment } from "@/lib/incidents";
import { createTestDb, makeUser, type TestDatabase } from "@/lib/testing";
import { durationsAffected, momentOrderProblems } from "./durations";
import { getReviewDetail, reliabilityReport } from "./queries";
import { markMoment } from "./moments";

// Issue 18 item 4: key moments out of order are warned about in the review and kept out of the
// reliability figures.

const t = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 10, minutes)).toISOString();

describe("moment order", () => {
  it("accepts moments in order, and a detection before the declaration", () => {
    expect(momentOrderProblems({ started: t(0), detected: t(5), acknowledged: t(7), mitigated: t(30), resolved: t(45) }, t(6))).toEqual([]);
    expect(momentOrderProblems({ detected: t(5) }, t(5))).toEqual([]);
    expect(momentOrderProblems({}, t(5))).toEqual([]);
  });

  it("flags a detection after the declaration, with the start that fell back to it", () => {
    const problems = momentOrderProblems({ started: t(20), detected: t(20), resolved: t(40) }, t(10));
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^Detected \(2026-01-01 10:20:00 UTC\) is after the incident was declared \(2026-01-01 10:10:00 UTC\)/);
    expect([...durationsAffected(problems)].sort()).toEqual(["acknowledge", "detect", "mitigate", "resolve"]);
    // An explicit, earlier start keeps its figures.
    expect([...durationsAffected(momentOrderProblems({ started: t(0), detected: t(20) }, t(10)))].sort()).toEqual(["acknowledge", "detect"]);
  });

  it("flags mitigated before detected, resolved before mitigated, acknowledged before detected, started after detected", () => {
    const messages = (m: Parameters<typeof momentOrderProblems>[0]) => momentOrderProblems(m).map((p) => p.message);
    expect(messages({ detected: t(10), mitigated: t(5) })).toEqual(["Mitigated (2026-01-01 10:05:00 UTC) is before Detected (2026-01-01 10:10:00 UTC)."]);
    expect(messages({ mitigated: t(30), resolved: t(20) })).toEqual(["Resolved (2026-01-01 10:20:00 UTC) is before Mitigated (2026-01-01 10:30:00 UTC)."]);
    expect(messages({ detected: t(10), acknowledged: t(9) })).toEqual(["Acknowledged (2026-01-01 10:09:00 UTC) is before Detected (2026-01-01 10:10:00 UTC)."]);
    expect(messages({ started: t(11), detected: t(10) })).toEqual(["Detected (2026-01-01 10:10:00 UTC) is before Started (2026-01-01 10:11:00 UTC)."]);
  });
});

describe("review and reliability", () => {
  let db: TestDatabase;
  let commander: Awaited<ReturnType<typeof makeUser>>;
  const ctx = () => ({ actor: commander.actor, db: db.db });

  beforeAll(async () => {
    db = await createTestDb();
    await ensureIncidentDefaults(db.db);
    commander = await makeUser(db.db, { role: "commander" });
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  async function resolvedIncident(title: string, detectedMinutesAgo: number, meanwhile?: (incidentId: string) => Promise<void>) {
    const incident = await declareIncident(ctx(), { title, severity: "SEV2", surfaces: ["api"], detectedAt: new Date(Date.now() - detectedMinutesAgo * 60_000) });
    await meanwhile?.(incident.id);
    return { incident, resolved: await changeStatus(ctx(), { incidentId: incident.id, version: incident.version, to: "resolved" }) };
  }

  it("a note marked Detected after the declaration: the review warns and /reliability leaves the incident out, until it is fixed", async () => {
    const good = await resolvedIncident("Queue backlog", 30);
    // A note written after declaring, marked as the detection while the incident runs.
    const { incident } = await resolvedIncident("Cache stampede", 30, async (incidentId) => {
      const note = await addNote(ctx(), { incidentId, body: "Saw the error rate climb on the dashboard." });
      await markKeyMoment(ctx(), { seq: note.seq, version: note.version, moment: "detected" });
    });

    const detail = await getReviewDetail(ctx(), incident.ref);
    expect(detail.momentProblems).toHaveLength(1);
    expect(detail.momentProblems[0].message).toMatch(/^Detected .* is after the incident was declared/);
    expect((await getReviewDetail(ctx(), good.incident.ref)).momentProblems).toEqual([]);

    let report = await reliabilityReport(ctx());
    expect(report.incidents).toBe(1);
    expect(report.excluded).toEqual([{ ref: incident.ref, title: "Cache stampede", severity: "SEV2", problems: [detail.momentProblems[0].message] }]);
    expect(report.bySeverity[0]).toMatchObject({ key: "SEV2", incidents: 1 });

    // The reviewer sets the detection to the first signal: the incident counts again.
    await markMoment(ctx(), { incidentId: incident.id, moment: "detected", occurredAt: new Date(Date.now() - 40 * 60_000).toISOString() });
    expect((await getReviewDetail(ctx(), incident.ref)).momentProblems).toEqual([]);
    report = await reliabilityReport(ctx());
    expect(report).toMatchObject({ incidents: 2, excluded: [] });
  });
});
