import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateCorpus, runbookOfSize } from "@/bench/corpus/generate";
import { analyzeRunbook } from "./parse";
import { fromStored, toStored } from "./stored";

// The stored form leaves out what it can give back: reading it must give the parser's structure exactly.

function texts(): Array<{ name: string; text: string }> {
  const out = generateCorpus({ files: 120, bytes: 400 * 1024, seed: 9 }).map((f) => ({ name: f.name, text: f.text }));
  out.push({ name: "typical.md", text: runbookOfSize(20 * 1024, 11) });
  for (const dir of [path.join(__dirname, "corpus"), path.join(process.cwd(), "../shared/seeds")]) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (/\.(md|txt)$/.test(f)) out.push({ name: f, text: fs.readFileSync(path.join(dir, f), "utf8") });
    }
  }
  return out;
}

describe("stored runbook structure", () => {
  it("reads back exactly what the parser derived", () => {
    let checked = 0;
    for (const { name, text } of texts()) {
      let parsed;
      try {
        parsed = analyzeRunbook(text, { fileName: path.basename(name) }).parsed;
      } catch {
        continue;
      }
      expect(fromStored(JSON.parse(JSON.stringify(toStored(parsed)))), name).toStrictEqual(JSON.parse(JSON.stringify(parsed)));
      checked += 1;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("reads a revision stored in the previous, fuller form", () => {
    const { parsed } = analyzeRunbook(runbookOfSize(20 * 1024, 11), { fileName: "typical.md" });
    const v2 = {
      ...parsed,
      steps: parsed.steps.map(({ sectionPath: _p, captures: _c, ...s }) => ({ ...s, commands: s.commands.map((c) => ({ ...c })) })),
      stored: 2,
    };
    expect(fromStored(JSON.parse(JSON.stringify(v2)))).toStrictEqual(JSON.parse(JSON.stringify(parsed)));
  });
});
