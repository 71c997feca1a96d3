import { describe, expect, it } from "vitest";
import { parseRunbook } from "@/lib/runbooks/parse";
import { lineDiff, withContext } from "./line-diff";
import { displayStatus } from "./status";
import { runbookTemplate } from "./template";

describe("runbook template", () => {
  it("parses into the library's section list with header metadata and an empty Validation Log", () => {
    const parsed = parseRunbook(runbookTemplate({ title: "Heartbeat failure recovery", today: "2026-11-23" }), { fileName: "heartbeat_failure_recovery.md" });
    expect(parsed.title).toBe("Heartbeat failure recovery");
    expect(parsed.slug).toBe("heartbeat-failure-recovery");
    expect(parsed.metadata).toMatchObject({ severity: "SEV2", lastUpdated: "2026-11-23" });
    expect(parsed.metadata.scenario).toBeTruthy();
    expect(parsed.metadata.owner).toBeTruthy();
    const titles = parsed.sections.flatMap((s) => [s.title, ...s.children.map((c) => c.title)]);
    for (const t of ["Symptoms", "Immediate Actions", "Diagnosis", "Resolution", "Verification", "Post-Incident", "Related Runbooks", "Contacts", "Validation Log"]) {
      expect(titles).toContain(t);
    }
    expect(parsed.steps.length).toBeGreaterThanOrEqual(2);
    expect(parsed.checklists.some((c) => c.kind === "task")).toBe(true);
    expect(parsed.validationLog).toEqual([]);
  });
});

describe("line diff", () => {
  it("numbers both sides and keeps context around changes", () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const after = before.replace("line 10\n", "line ten\n");
    const diff = lineDiff(before, after);
    expect(diff).toMatchObject({ added: 1, removed: 1 });
    expect(diff.lines.find((l) => l.kind === "removed")).toMatchObject({ text: "line 10", oldNumber: 10, newNumber: null });
    expect(diff.lines.find((l) => l.kind === "added")).toMatchObject({ text: "line ten", oldNumber: null, newNumber: 10 });
    const shown = withContext(diff.lines, 2);
    expect(shown[0]).toEqual({ kind: "skip", count: 7 });
    expect(shown.at(-1)).toEqual({ kind: "skip", count: 8 });
  });
});

describe("display status", () => {
  const validated = { status: "validated" as const, currentRevisionId: "r2", lastValidatedRevisionId: "r2", lastValidatedAt: new Date("2026-11-01T00:00:00Z") };
  it("is stale after a new revision or 90 days", () => {
    expect(displayStatus(validated, new Date("2026-11-23T00:00:00Z"))).toBe("validated");
    expect(displayStatus({ ...validated, currentRevisionId: "r3" }, new Date("2026-11-23T00:00:00Z"))).toBe("stale");
    expect(displayStatus(validated, new Date("2027-02-05T00:00:00Z"))).toBe("stale");
    expect(displayStatus({ ...validated, status: "draft" })).toBe("draft");
  });
});
