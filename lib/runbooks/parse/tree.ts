import type { Code, Root, RootContent } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";

const processor = unified().use(remarkParse).use(remarkGfm);

type AnyNode = { type: string; position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } }; children?: AnyNode[] };

/** Depth-first walk without the generality (and cost) of unist-util-visit; `fn` returning false skips children. */
function walk(node: AnyNode, fn: (node: AnyNode) => boolean | void): void {
  if (fn(node) === false || !node.children) return;
  for (const child of node.children) walk(child, fn);
}

function codeNodes(root: Root): Code[] {
  const out: Code[] = [];
  walk(root as AnyNode, (node) => {
    if (node.type === "code") out.push(node as unknown as Code);
    // Code only lives in flow content; phrasing never holds it.
    return node.type !== "paragraph" && node.type !== "heading" && node.type !== "table";
  });
  return out;
}

export type TemplateRange = { language: string; startLine: number; endLine: number; content: string };

export type MarkdownTree = {
  root: Root;
  lines: string[];
  /** Fenced markdown templates, whose text is kept out of the structure. */
  templates: TemplateRange[];
  /** Lines (1-based) of fences that never close. */
  unterminatedFences: number[];
};

const FENCE_LINE = /^\s*(?:>\s*)*(`{3,}|~{3,})\s*([^`\s]*)?.*$/;
const MARKDOWN_LANGS = new Set(["markdown", "md", "mdx"]);

function fenceInfo(line: string): { marker: string; info: string } | null {
  const m = FENCE_LINE.exec(line);
  return m ? { marker: m[1], info: (m[2] ?? "").trim() } : null;
}

/**
 * A markdown template often contains fences of the same length as its own (seed 003), which
 * CommonMark closes early. Authors mean nesting: an inner opening fence carries an info string,
 * a bare fence closes the innermost open one. Returns the intended closing line (1-based).
 */
function intendedTemplateEnd(lines: string[], startLine: number, marker: string): number {
  let depth = 0;
  for (let n = startLine + 1; n <= lines.length; n += 1) {
    const info = fenceInfo(lines[n - 1]);
    if (!info || info.marker[0] !== marker[0]) continue;
    if (info.info !== "") depth += 1;
    else if (depth > 0) depth -= 1;
    else if (info.marker.length >= marker.length) return n;
  }
  return lines.length;
}

export function isFenced(node: Code, lines: string[]): boolean {
  const line = lines[(node.position?.start.line ?? 1) - 1] ?? "";
  return /(`{3,}|~{3,})/.test(line);
}

function closesProperly(node: Code, lines: string[]): boolean {
  const start = node.position?.start.line ?? 1;
  const end = node.position?.end.line ?? start;
  if (end === start) return false;
  const open = fenceInfo(lines[start - 1] ?? "");
  const close = fenceInfo(lines[end - 1] ?? "");
  return !!open && !!close && close.info === "" && close.marker[0] === open.marker[0] && close.marker.length >= open.marker.length;
}

type RangeResult = { root: Root; templates: TemplateRange[] };

/**
 * Parses lines [from, to) (0-based) of the document. Early-closed markdown templates are masked
 * with spaces (so offsets stay true) and the range is parsed again, one template per pass.
 */
function parseRange(markdown: string, lineStarts: number[], lines: string[], from: number, to: number): RangeResult {
  const startOffset = lineStarts[from];
  const endOffset = to < lineStarts.length ? lineStarts[to] : markdown.length;
  const source = markdown.slice(startOffset, endOffset);
  const cached = pieceCache.get(source);
  if (cached) {
    pieceCache.delete(source);
    pieceCache.set(source, cached);
    return cached.from === from && cached.startOffset === startOffset ? cached.result : moved(cached, from, startOffset);
  }
  let text = source;
  const local = lines.slice(from, to);
  let root = processor.parse(text) as Root;
  const templates: TemplateRange[] = [];
  for (let pass = 0; pass < 50; pass += 1) {
    let masked: TemplateRange | null = null;
    for (const node of codeNodes(root)) {
      if (masked) break;
      if (!node.position || !MARKDOWN_LANGS.has((node.lang ?? "").toLowerCase())) continue;
      const start = node.position.start.line;
      if (templates.some((t) => t.startLine === start)) continue;
      const open = fenceInfo(local[start - 1] ?? "");
      if (!open) continue;
      const end = intendedTemplateEnd(local, start, open.marker);
      const range: TemplateRange = {
        language: node.lang ?? "markdown",
        startLine: start,
        endLine: end,
        content: local.slice(start, end === local.length && !fenceInfo(local[end - 1] ?? "") ? end : end - 1).join("\n"),
      };
      templates.push(range);
      if (end > node.position.end.line) masked = range;
    }
    if (!masked) break;
    const range: TemplateRange = masked;
    const before = lineStarts[from + range.startLine - 1] - startOffset;
    const after = (from + range.endLine < lineStarts.length ? lineStarts[from + range.endLine] : markdown.length) - startOffset;
    text = text.slice(0, before) + text.slice(before, after).replace(/[^\r\n]/g, " ") + text.slice(after);
    root = processor.parse(text) as Root;
  }
  const result = { root, templates };
  shift(result, from, startOffset);
  remember(source, { result, from, startOffset });
  return result;
}

function shift(result: RangeResult, lines: number, offset: number): void {
  if (lines === 0 && offset === 0) return;
  walk(result.root as AnyNode, (node) => {
    if (!node.position) return;
    node.position.start.line += lines;
    node.position.end.line += lines;
    if (node.position.start.offset !== undefined) node.position.start.offset += offset;
    if (node.position.end.offset !== undefined) node.position.end.offset += offset;
  });
  for (const t of result.templates) {
    t.startLine += lines;
    t.endLine += lines;
  }
}

/** A cached piece that now sits elsewhere in the document (lines were added or removed above it). */
function moved(cached: CachedPiece, from: number, startOffset: number): RangeResult {
  const copy = structuredClone(cached.result);
  shift(copy, from - cached.from, startOffset - cached.startOffset);
  return copy;
}

// Pieces already parsed, keyed by their exact text. Editing one line of a large runbook then
// re-parses only the piece that changed. Trees handed out may be shared: treat them as read-only.
type CachedPiece = { result: RangeResult; from: number; startOffset: number };
const PIECE_CACHE_CHARS = 2 * 1024 * 1024;
const pieceCache = new Map<string, CachedPiece>();
let pieceCacheChars = 0;

function remember(source: string, piece: CachedPiece): void {
  pieceCache.set(source, piece);
  pieceCacheChars += source.length;
  for (const key of pieceCache.keys()) {
    if (pieceCacheChars <= PIECE_CACHE_CHARS) break;
    pieceCache.delete(key);
    pieceCacheChars -= key.length;
  }
}

/** Forgets every cached piece (the benchmark uses it to time cold parses). */
export function clearParseCache(): void {
  pieceCache.clear();
  pieceCacheChars = 0;
}

const CHUNK_TARGET = 12 * 1024;
const FENCE_ANY = /^\s*(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;

/**
 * Where the document may be cut into independently parsed pieces: before a level-1–6 heading at
 * column 0 that follows a blank line, outside any fence. The markdown parser slows down more than
 * linearly on long documents, so large runbooks are parsed piece by piece and checked afterwards.
 */
function chunkStarts(lines: string[]): number[] {
  const starts = [0];
  let fence: { char: string; len: number; md: boolean; depth: number } | null = null;
  let size = 0;
  let prevBlank = true;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    const f = FENCE_ANY.exec(line);
    if (fence === null) {
      if (f && !(f[1][0] === "`" && f[2].includes("`"))) {
        const lang = f[2].trim().split(/\s+/, 1)[0].toLowerCase();
        fence = { char: f[1][0], len: f[1].length, md: MARKDOWN_LANGS.has(lang), depth: 0 };
      } else if (size >= CHUNK_TARGET && prevBlank && ATX_HEADING.test(line)) {
        starts.push(i);
        size = 0;
      }
    } else if (f && f[1][0] === fence.char) {
      const info = f[2].trim();
      if (info === "" && f[1].length >= fence.len) {
        if (fence.md && fence.depth > 0) fence.depth -= 1;
        else fence = null;
      } else if (fence.md && info !== "") fence.depth += 1;
    }
    size += line.length + 1;
    prevBlank = line.trim() === "";
  }
  return starts;
}

/** A piece is only trustworthy if nothing in it can reach into the next one. */
function pieceIsSelfContained(result: RangeResult, lines: string[]): boolean {
  let ok = true;
  walk(result.root as AnyNode, (node) => {
    if (node.type === "definition" || node.type === "footnoteDefinition") ok = false;
    if (node.type === "code" && isFenced(node as unknown as Code, lines) && !closesProperly(node as unknown as Code, lines)) ok = false;
    return ok && node.type !== "paragraph" && node.type !== "heading" && node.type !== "table";
  });
  const last = result.root.children[result.root.children.length - 1];
  if (last?.type === "html") ok = false;
  return ok;
}

export function parseMarkdown(markdown: string, options: { chunked?: boolean } = {}): MarkdownTree {
  const lines = markdown.split(/\r?\n/);
  const lineStarts: number[] = new Array(lines.length);
  let offset = 0;
  for (let i = 0; i < lines.length; i += 1) {
    lineStarts[i] = offset;
    offset += lines[i].length;
    if (markdown[offset] === "\r") offset += 1;
    offset += 1;
  }
  const starts = options.chunked === false ? [0] : chunkStarts(lines);
  let pieces: RangeResult[] = [];
  for (let i = 0; i < starts.length; i += 1) {
    const piece = parseRange(markdown, lineStarts, lines, starts[i], i + 1 < starts.length ? starts[i + 1] : lines.length);
    if (i + 1 < starts.length && !pieceIsSelfContained(piece, lines)) {
      pieces = [parseRange(markdown, lineStarts, lines, 0, lines.length)];
      break;
    }
    pieces.push(piece);
  }
  const first = pieces[0].root.position;
  const last = pieces[pieces.length - 1].root.position;
  const root: Root =
    pieces.length === 1
      ? pieces[0].root
      : { type: "root", children: pieces.flatMap((p) => p.root.children), ...(first && last ? { position: { start: first.start, end: last.end } } : {}) };
  const templates = pieces.flatMap((p) => p.templates);
  const unterminatedFences: number[] = [];
  for (const node of codeNodes(root)) {
    if (!node.position || !isFenced(node, lines)) continue;
    if (!closesProperly(node, lines)) unterminatedFences.push(node.position.start.line);
  }
  for (const t of templates) {
    const open = fenceInfo(lines[t.startLine - 1] ?? "");
    const close = fenceInfo(lines[t.endLine - 1] ?? "");
    if (t.endLine === t.startLine || !close || close.info !== "" || (open && close.marker.length < open.marker.length)) {
      if (!unterminatedFences.includes(t.startLine)) unterminatedFences.push(t.startLine);
    }
  }
  unterminatedFences.sort((a, b) => a - b);
  return { root, lines, templates, unterminatedFences };
}

export function lineOf(node: { position?: { start: { line: number } } }): number {
  return node.position?.start.line ?? 0;
}

export function endLineOf(node: { position?: { end: { line: number } } }): number {
  return node.position?.end.line ?? 0;
}

export type { RootContent };
