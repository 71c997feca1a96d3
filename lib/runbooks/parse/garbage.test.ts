import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appendValidationLogRows, decodeRunbookBytes, MAX_RUNBOOK_BYTES, parseRunbook, renderCommandForAgent, RunbookParseError } from "./index";
import { ValidationError } from "@/lib/errors";

function parseError(fn: () => unknown): RunbookParseError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunbookParseError) return error;
    throw error;
  }
  throw new Error("expected a RunbookParseError");
}

/** Printable text with markdown punctuation sprinkled in, deterministic per seed. */
function randomText(length: number, seed = 7): string {
  const alphabet = "abcdefghij klmnop qrstuvwxyz\n\n*_[]`#|-<>!()0123456789>~:$\\";
  let state = seed;
  let out = "";
  for (let i = 0; i < length; i += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

describe("garbage input", () => {
  it("refuses NUL bytes as binary, with the file name in the message", () => {
    const error = parseError(() => parseRunbook("# Title\n\u0000\u0001\u0002", { fileName: "blob.md" }));
    expect(error.code).toBe("binary");
    expect(error.message).toBe("blob.md: file contains NUL bytes; it looks binary, not markdown");
    expect(error).toBeInstanceOf(ValidationError);
  });

  it("refuses random bytes and invalid UTF-8 when decoding an upload", () => {
    const bytes = randomBytes(4096);
    bytes[10] = 0;
    expect(parseError(() => decodeRunbookBytes(bytes, "random.bin")).code).toBe("binary");
    const invalid = Buffer.from([0x23, 0x20, 0x54, 0xff, 0xfe, 0x0a, 0x41]);
    expect(parseError(() => decodeRunbookBytes(invalid)).code).toBe("invalid-utf8");
    // Text that was decoded leniently elsewhere carries replacement characters.
    expect(parseError(() => parseRunbook("# Title\n\uFFFD\uFFFD")).code).toBe("invalid-utf8");
    expect(decodeRunbookBytes(Buffer.from("\uFEFF# Fine\n", "utf8"))).toBe("# Fine\n");
  });

  it("refuses control-character soup as binary", () => {
    expect(parseError(() => parseRunbook("# T\n" + "\u0001\u0002\u0003".repeat(10))).code).toBe("binary");
  });

  it("refuses an empty or blank file", () => {
    expect(parseError(() => parseRunbook("")).code).toBe("empty");
    expect(parseError(() => parseRunbook(" \n\t\n\n")).code).toBe("empty");
    expect(decodeRunbookBytes(new Uint8Array(0))).toBe("");
  });

  it("rejects 5 MB of random text quickly by size", () => {
    const big = randomText(64 * 1024).repeat(80);
    const started = performance.now();
    const error = parseError(() => parseRunbook(big, { fileName: "huge.md" }));
    const elapsed = performance.now() - started;
    expect(error.code).toBe("too-large");
    expect(error.message).toContain("larger than 2 MB");
    expect(elapsed).toBeLessThan(500);
    expect(parseError(() => decodeRunbookBytes(new Uint8Array(MAX_RUNBOOK_BYTES + 1))).code).toBe("too-large");
    // Multi-byte characters count as bytes, not characters.
    expect(parseError(() => parseRunbook("é".repeat(MAX_RUNBOOK_BYTES / 2 + 1))).code).toBe("too-large");
  });

  it("parses random text under the limit without hanging", () => {
    const parsed = parseRunbook(randomText(50_000, 11), { fileName: "noise.md" });
    expect(parsed.slug).toBe("noise");
    expect(Array.isArray(parsed.steps)).toBe(true);
  });

  it("parses an unterminated fence and warns with its line", () => {
    const parsed = parseRunbook("# Broken\n\n## Check\n\n```bash\ncurl -s http://127.0.0.1:8080/healthz\n", { fileName: "broken.md" });
    expect(parsed.warnings).toEqual(["Line 5: code fence is never closed; the rest of its block is read as code."]);
    expect(parsed.steps).toHaveLength(1);
    expect(parsed.steps[0].commands[0].http).toMatchObject({ api: "runtime", path: "/healthz" });
  });

  it("warns on an unterminated markdown template and keeps its text", () => {
    const parsed = parseRunbook("# T\n\n```markdown\n# Inner\n```bash\nls -la\n```\n\nmore text\n");
    expect(parsed.steps).toEqual([]);
    expect(parsed.templates[0].content).toContain("more text");
    expect(parsed.warnings).toEqual(["Line 3: code fence is never closed; the rest of its block is read as code."]);
  });

  it("refuses absurdly deep nesting quickly instead of grinding", () => {
    const started = performance.now();
    const quotes = parseError(() => parseRunbook(`# Deep\n\n${">".repeat(20_000)} text\n`));
    expect(quotes.code).toBe("too-deep");
    expect(quotes.message).toBe("line 3 nests more than 64 quotes or lists; markdown that deep cannot be read");
    expect(parseError(() => parseRunbook(`# Deep\n\n${"- ".repeat(3_000)}item\n`)).code).toBe("too-deep");
    expect(performance.now() - started).toBeLessThan(1000);
    // Ordinary nesting is fine.
    const ok = parseRunbook(`# Nested\n\n${"> ".repeat(10)}- 1. [ ] deep item\n`);
    expect(ok.title).toBe("Nested");
  });

  it("refuses a line longer than any runbook has (a crafted bracket run, a megabyte paragraph), naming it", () => {
    const brackets = parseError(() => parseRunbook(`${"[".repeat(100_000)}x${"]".repeat(100_000)}`, { fileName: "brackets.md" }));
    expect(brackets.code).toBe("line-too-long");
    expect(brackets.message).toBe("brackets.md: line 1 is 200,001 characters long; a runbook line may be at most 100,000");
    expect(parseError(() => parseRunbook(`# Long\n\n${"word ".repeat(400_000)}\n`)).code).toBe("line-too-long");
    // A long but ordinary line is fine.
    expect(parseRunbook(`# Wide\n\n\`\`\`bash\necho ${"x".repeat(50_000)}\n\`\`\`\n`).title).toBe("Wide");
  });

  it("takes a title from the file name when there is no heading, and says so", () => {
    const parsed = parseRunbook("Just prose.\n\n```bash\n./scripts/runtime-health-check.sh\n```\n", { fileName: "notes/health_check.md" });
    expect(parsed.title).toBe("health_check");
    expect(parsed.slug).toBe("health-check");
    expect(parsed.warnings[0]).toContain("No level-1 heading");
    expect(parsed.steps[0].sectionId).toBeNull();
    expect(parsed.steps[0].id).toBe("top-1");
  });

  it("never crashes on seed lines cut, shuffled, indented and quoted at random", () => {
    const seeds = path.resolve(process.cwd(), "../shared/seeds");
    const lines = fs.readdirSync(seeds).flatMap((f) => fs.readFileSync(path.join(seeds, f), "utf8").split("\n"));
    let state = 42;
    const pick = (n: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    for (let round = 0; round < 60; round += 1) {
      const picked: string[] = [];
      for (let j = 5 + pick(60); j > 0; j -= 1) {
        let line = lines[pick(lines.length)];
        if (pick(5) === 0) line = line.slice(0, pick(line.length + 1));
        if (pick(7) === 0) line = "   ".slice(0, pick(4)) + line;
        if (pick(9) === 0) line = `> ${line}`;
        picked.push(line);
      }
      const markdown = picked.join("\n");
      try {
        const parsed = parseRunbook(markdown, { fileName: `fuzz-${round}.md` });
        for (const step of parsed.steps) for (const command of step.commands) expect(typeof renderCommandForAgent(command)).toBe("string");
        const appended = appendValidationLogRows(markdown, [{ date: "2026-11-23", validator: "v", environment: "e", result: "pass", notes: "" }]);
        expect(appended.startsWith(markdown.split("\n")[0])).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(RunbookParseError);
      }
    }
  });
});
