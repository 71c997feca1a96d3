import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateCorpus, runbookOfSize } from "@/bench/corpus/generate";
import { sameTokens, withStockTokens } from "./fast-tokens";
import { runbookMarkdownIt } from "@/lib/runbooks/parse/markdown";
import { notesMarkdownIt } from "./markdown-it";

const SEEDS = path.resolve(process.cwd(), "../shared/seeds");

function texts(): Array<[string, string]> {
  const seeds = fs.readdirSync(SEEDS).map((f): [string, string] => [f, fs.readFileSync(path.join(SEEDS, f), "utf8")]);
  const corpus = generateCorpus().map((f): [string, string] => [f.name, f.text]);
  return [...seeds, ...corpus, ["20 KB runbook", runbookOfSize(20 * 1024, 11)]];
}

describe("tokens built without markdown-it's per-field helper", () => {
  it("are in place for the runbook parser (the state methods are shared by every instance in the process)", () => {
    const md = runbookMarkdownIt();
    expect(Object.getPrototypeOf(md.parse("x", {})[0])).toBe(Object.getPrototypeOf(withStockTokens(md, () => md.parse("x", {}))[0]));
    expect(md.block.State.prototype.push).toBe(notesMarkdownIt().block.State.prototype.push);
    expect(withStockTokens(md, () => md.block.State.prototype.push)).not.toBe(md.block.State.prototype.push);
    expect(withStockTokens(md, () => md.inline.State)).not.toBe(md.inline.State);
  });

  it("are the stock tokens and render the same HTML for the seeds and the corpus", () => {
    for (const md of [runbookMarkdownIt(), notesMarkdownIt()]) {
      for (const [name, text] of texts()) {
        const fast = md.parse(text, {});
        const stock = withStockTokens(md, () => md.parse(text, {}));
        expect(sameTokens(fast, stock), name).toBe(true);
        expect(md.renderer.render(fast, md.options, {}), name).toBe(withStockTokens(md, () => md.render(text)));
      }
    }
  });
});
