// What the markdown parser reads: the runbook's text with YAML front matter blanked (line numbers
// stay true) and markdown templates' outer fences lengthened so nested fences stay inside them.
// The stored markdown is never changed; only the parser's input is.

export type TemplateRange = { language: string; startLine: number; endLine: number; content: string };

export type FrontMatterFormat = "yaml" | "toml";

export type PreparedSource = {
  /** Text handed to markdown-it. */
  text: string;
  /** Lines of the original text (CR stripped). */
  lines: string[];
  /** Raw front matter between the `---` lines, if the file starts with one. */
  frontMatter: { text: string; endLine: number; format: FrontMatterFormat } | null;
  /** Fenced markdown templates, whose text is kept out of the structure. */
  templates: TemplateRange[];
  /** Lines (1-based) of template fences that never close. */
  unterminatedTemplates: number[];
};

const FENCE_LINE = /^(\s*(?:>\s*)*)(`{3,}|~{3,})\s*([^`\s]*)?.*$/;
const MARKDOWN_LANGS = new Set(["markdown", "md", "mdx"]);

export function fenceInfo(line: string): { prefix: string; marker: string; info: string } | null {
  const m = FENCE_LINE.exec(line);
  return m ? { prefix: m[1], marker: m[2], info: (m[3] ?? "").trim() } : null;
}

/**
 * A markdown template often contains fences as long as its own (seed 003), which CommonMark
 * closes early. Authors mean nesting: an inner opening fence carries an info string, a bare
 * fence closes the innermost open one. Returns the intended closing line (0-based) and the
 * longest inner fence of the same character.
 */
function intendedTemplateEnd(lines: string[], start: number, marker: string): { end: number; closed: boolean; longestInner: number } {
  let depth = 0;
  let longestInner = 0;
  for (let n = start + 1; n < lines.length; n += 1) {
    const info = fenceInfo(lines[n]);
    if (!info || info.marker[0] !== marker[0]) continue;
    if (info.info !== "") {
      depth += 1;
      longestInner = Math.max(longestInner, info.marker.length);
    } else if (depth > 0) {
      depth -= 1;
      longestInner = Math.max(longestInner, info.marker.length);
    } else if (info.marker.length >= marker.length) return { end: n, closed: true, longestInner };
  }
  return { end: lines.length - 1, closed: false, longestInner };
}

/** Where the front matter ends: YAML between `---` lines, or TOML between `+++` lines (Hugo). */
function frontMatterEnd(lines: string[]): { end: number; format: FrontMatterFormat } | null {
  const first = lines[0]?.replace(/^\uFEFF/, "").trimEnd();
  const format = first === "---" ? "yaml" : first === "+++" ? "toml" : null;
  if (!format) return null;
  // Bounded: front matter is a header, not a document.
  for (let n = 1; n < Math.min(lines.length, 500); n += 1) {
    const line = lines[n].trimEnd();
    if (format === "yaml" ? line === "---" || line === "..." : line === "+++") return { end: n, format };
  }
  return null;
}

export function prepareSource(markdown: string): PreparedSource {
  const hasCarriageReturns = markdown.includes("\r");
  const lines = hasCarriageReturns ? markdown.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)) : markdown.split("\n");
  // The parser's lines, copied from `lines` on the first change only: most files change none.
  let input = null as string[] | null;
  const change = (n: number, line: string) => {
    input ??= [...lines];
    input[n] = line;
  };
  let frontMatter: PreparedSource["frontMatter"] = null;
  const fm = frontMatterEnd(lines);
  const fmEnd = fm?.end ?? -1;
  if (fm) {
    frontMatter = { text: lines.slice(1, fmEnd).join("\n"), endLine: fmEnd + 1, format: fm.format };
    for (let n = 0; n <= fmEnd; n += 1) change(n, "");
  }
  const templates: TemplateRange[] = [];
  const unterminatedTemplates: number[] = [];
  let open: { char: string; len: number } | null = null;
  for (let n = fmEnd + 1; n < lines.length; n += 1) {
    // Most lines hold no fence marker at all: skip the regular expression for them.
    if (!lines[n].includes("```") && !lines[n].includes("~~~")) continue;
    const info = fenceInfo(lines[n]);
    if (!info) continue;
    if (open) {
      if (info.marker[0] === open.char && info.info === "" && info.marker.length >= open.len) open = null;
      continue;
    }
    if (info.marker[0] === "`" && lines[n].slice(info.prefix.length + info.marker.length).includes("`")) continue;
    if (!MARKDOWN_LANGS.has(info.info.toLowerCase())) {
      open = { char: info.marker[0], len: info.marker.length };
      continue;
    }
    const { end, closed, longestInner } = intendedTemplateEnd(lines, n, info.marker);
    templates.push({ language: info.info, startLine: n + 1, endLine: end + 1, content: lines.slice(n + 1, closed ? end : end + 1).join("\n") });
    if (!closed) unterminatedTemplates.push(n + 1);
    if (longestInner >= info.marker.length) {
      const longer = info.marker[0].repeat(longestInner + 1);
      change(n, lines[n].replace(info.marker, longer));
      if (closed) change(end, lines[end].replace(fenceInfo(lines[end])!.marker, longer));
    }
    n = end;
  }
  const text = input ? input.join("\n") : hasCarriageReturns ? lines.join("\n") : markdown;
  return { text, lines, frontMatter, templates, unterminatedTemplates };
}
