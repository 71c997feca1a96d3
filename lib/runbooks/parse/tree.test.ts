import { describe, expect, it } from "vitest";
import { buildBenchRunbook } from "./bench";
import { derive } from "./derive";
import { clearParseCache, parseMarkdown } from "./tree";

function structure(markdown: string, chunked: boolean) {
  const tree = parseMarkdown(markdown, { chunked });
  const { linksByLine, ...derived } = derive(tree);
  return { root: tree.root, derived, links: [...linksByLine], templates: tree.templates, unterminated: tree.unterminatedFences };
}

describe("piecewise markdown parsing", () => {
  it("gives exactly the tree of a whole-document parse for a large runbook", () => {
    const text = buildBenchRunbook(40 * 1024);
    const whole = structure(text, false);
    const pieces = structure(text, true);
    expect(pieces.derived.steps.length).toBeGreaterThan(50);
    expect(JSON.stringify(pieces)).toBe(JSON.stringify(whole));
  });

  it("falls back to one parse when a piece reaches into the next (definitions, html, open fences, templates)", () => {
    const filler = "Some prose that makes the piece long enough to be cut.\n\n".repeat(250);
    const cases = [
      `# A\n\n${filler}[ref]: ./db-restore.md\n\n## B\n\nSee [the runbook][ref].\n`,
      `# A\n\n${filler}<!--\n\n## Hidden heading\n\n-->\n\n## C\n\ntext\n`,
      `# A\n\n${filler}\`\`\`bash\necho open\n\n## Not a heading\n\n\`\`\`\n\n## D\n\n\`\`\`bash\nls -la\n\`\`\`\n`,
      `# A\n\n${filler}\`\`\`markdown\n# Inner\n\n\`\`\`bash\nls\n\`\`\`\n\n## Inner section\n\n${filler}\n\`\`\`\n\n## E\n\ntext\n`,
    ];
    for (const text of cases) {
      expect(JSON.stringify(structure(text, true))).toBe(JSON.stringify(structure(text, false)));
    }
    const withRef = structure(cases[0], true);
    expect(withRef.derived.links.map((l) => l.targetSlug)).toEqual(["db-restore"]);
    expect(structure(cases[3], true).derived.sections.map((s) => s.title)).toEqual(["E"]);
  });

  it("keeps offsets true with CRLF line endings", () => {
    const text = buildBenchRunbook(30 * 1024).replace(/\n/g, "\r\n");
    const tree = parseMarkdown(text);
    const last = tree.root.children[tree.root.children.length - 1];
    const start = last.position?.start.offset ?? -1;
    expect(text.slice(start, start + 2)).toBe("- ");
    expect(JSON.stringify(structure(text, true))).toBe(JSON.stringify(structure(text, false)));
  });

  it("reuses parsed pieces after an edit and still gives the tree of a fresh parse", () => {
    const text = buildBenchRunbook(40 * 1024);
    clearParseCache();
    const firstTree = parseMarkdown(text);
    const firstRoot = JSON.stringify(firstTree.root);
    const first = JSON.stringify(structure(text, true));
    expect(JSON.stringify(structure(text, true))).toBe(first);
    const lines = text.split("\n");
    lines.splice(8, 0, "A sentence added near the top, so every later piece moves down one line.");
    lines.splice(900, 1);
    const edited = lines.join("\n");
    const warm = JSON.stringify(structure(edited, true));
    clearParseCache();
    expect(warm).toBe(JSON.stringify(structure(edited, true)));
    expect(warm).toBe(JSON.stringify(structure(edited, false)));
    // The first parse's tree was not disturbed by the moved copies.
    expect(JSON.stringify(firstTree.root)).toBe(firstRoot);
  });
});
