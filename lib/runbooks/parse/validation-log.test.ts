import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appendValidationLogRows, formatValidationResult, parseRunbook, serializeValidationLogRow, type ValidationLogEntry } from "./index";

const SEEDS = path.resolve(process.cwd(), "../shared/seeds");
const seedText = (prefix: string) => {
  const file = fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`seed ${prefix} missing`);
  return fs.readFileSync(path.join(SEEDS, file), "utf8");
};

const ROW: ValidationLogEntry = {
  date: "2026-11-23",
  validator: "Dana Commander",
  environment: "reference",
  result: formatValidationResult("pass"),
  notes: "all steps | including slot recovery",
  reportUrl: "/drills/42",
};

describe("serializeValidationLogRow", () => {
  it("writes the five standard columns, escapes pipes and adds the report link to the notes", () => {
    expect(serializeValidationLogRow(ROW)).toBe(
      "| 2026-11-23 | Dana Commander | reference | ✅ Pass | all steps \\| including slot recovery [report](/drills/42) |",
    );
    expect(serializeValidationLogRow({ ...ROW, notes: "line one\nline two" }, ["Date", "Result", "Report", "Notes"])).toBe(
      "| 2026-11-23 | ✅ Pass | [report](/drills/42) | line one line two |",
    );
    expect(formatValidationResult("pass-with-notes")).toBe("⚠️ Pass with notes");
    expect(formatValidationResult("fail")).toBe("❌ Fail");
  });
});

describe("appendValidationLogRows", () => {
  it("appends to an existing Validation Log table and keeps every other byte", () => {
    const before = [
      "# Token rotation",
      "",
      "## Validation Log",
      "",
      "| Date | Validator | Environment | Result | Notes |",
      "|------|-----------|-------------|--------|-------|",
      "| 2026-01-02 | Sam | Staging | ✅ Pass | first |",
      "",
      "## After",
      "",
      "Trailing text.",
      "",
    ].join("\n");
    const after = appendValidationLogRows(before, [ROW, { ...ROW, date: "2026-11-24", result: formatValidationResult("fail"), notes: "", reportUrl: undefined }]);
    const lines = after.split("\n");
    expect(lines.slice(0, 7)).toEqual(before.split("\n").slice(0, 7));
    expect(lines[7]).toBe(serializeValidationLogRow(ROW));
    expect(lines[8]).toBe("| 2026-11-24 | Dana Commander | reference | ❌ Fail |  |");
    expect(lines.slice(9).join("\n")).toBe(before.split("\n").slice(7).join("\n"));
    const parsed = parseRunbook(after);
    expect(parsed.validationLog.map((r) => [r.date, r.outcome, r.reportUrl ?? null])).toEqual([
      ["2026-01-02", "pass", null],
      ["2026-11-23", "pass", "/drills/42"],
      ["2026-11-24", "fail", null],
    ]);
  });

  it("adds a Validation Log section at the end when there is none (seed 000), and parses it back", () => {
    const seed = seedText("000_");
    const after = appendValidationLogRows(seed, [ROW]);
    expect(after.startsWith(seed)).toBe(true);
    expect(after.slice(seed.length)).toBe(
      `${seed.endsWith("\n") ? "" : "\n"}\n## Validation Log\n\n| Date | Validator | Environment | Result | Notes |\n|---|---|---|---|---|\n${serializeValidationLogRow(ROW)}\n`,
    );
    const parsed = parseRunbook(after);
    expect(parsed.validationLog).toEqual([
      expect.objectContaining({ date: "2026-11-23", validator: "Dana Commander", environment: "reference", outcome: "pass", reportUrl: "/drills/42" }),
    ]);
    // Appending again goes into the same table.
    const twice = appendValidationLogRows(after, [{ ...ROW, date: "2026-12-01" }]);
    expect(parseRunbook(twice).validationLog.map((r) => r.date)).toEqual(["2026-11-23", "2026-12-01"]);
    expect(twice.match(/## Validation Log/g)).toHaveLength(1);
    expect(parseRunbook(twice).steps).toHaveLength(parseRunbook(seed).steps.length);
  });

  it("leaves seed 003's template log alone and adds the runbook's own log", () => {
    const seed = seedText("003_");
    const after = appendValidationLogRows(seed, [ROW]);
    expect(after.startsWith(seed)).toBe(true);
    const parsed = parseRunbook(after);
    expect(parsed.validationLog).toHaveLength(1);
    expect(parsed.templates[0].content).toBe(parseRunbook(seed).templates[0].content);
  });

  it("fills an existing empty Validation Log section and keeps CRLF line endings", () => {
    const before = "# T\r\n\r\n## Validation Log\r\n\r\nNone yet.\r\n\r\n## Contacts\r\n\r\n- someone\r\n";
    const after = appendValidationLogRows(before, [ROW]);
    expect(after).toBe(
      `# T\r\n\r\n## Validation Log\r\n\r\nNone yet.\r\n\r\n| Date | Validator | Environment | Result | Notes |\r\n|---|---|---|---|---|\r\n${serializeValidationLogRow(ROW)}\r\n\r\n## Contacts\r\n\r\n- someone\r\n`,
    );
    expect(parseRunbook(after).validationLog).toHaveLength(1);
    expect(appendValidationLogRows(before, [])).toBe(before);
  });
});
