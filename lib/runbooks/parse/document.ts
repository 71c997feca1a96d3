import type { MarkdownIt, Token } from "markdown-it";
import { linkKind, type Slots } from "./derive";
import type { DocNode, RunbookDocument } from "./model";
import { slugFromFileName } from "./slug";
import { closeIndexes } from "./tokens";

// Renders the runbook once, on write, into HTML with slots: a step or a reference block is left
// as a slot where it stands, so the page puts the step's Run button and expectation right there.
// Containers (lists, quotes) become nodes only when a slot sits inside them; everything else is
// one HTML string per stretch of blocks.

const CONTAINERS = new Set(["bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open"]);
const DEMOTE: Record<string, string> = { h1: "h2", h2: "h3", h3: "h4", h4: "h5", h5: "h6", h6: "h6" };

function rewriteLinks(inline: Token): void {
  for (const child of inline.children ?? []) {
    if (child.type !== "link_open") continue;
    const href = String(child.attrGet("href") ?? "");
    const kind = linkKind(href);
    if (kind === "runbook") {
      const slug = slugFromFileName(href.replace(/[?#].*$/, ""));
      if (slug) child.attrSet("href", `/runbooks/${slug}`);
    } else if (kind === "anchor" && href.length > 1) child.attrSet("href", `#doc-${href.slice(1)}`);
  }
}

function attrsOf(token: Token): Record<string, string> | undefined {
  if (!token.attrs?.length) return undefined;
  return Object.fromEntries(token.attrs.map(([k, v]) => [k, String(v)]));
}

export function buildDocument(md: MarkdownIt, all: Token[], slots: Slots, fenceCode: (token: Token) => string): RunbookDocument {
  // The title is the page's own heading; headings get their section ids and move one level down.
  // One copy and a splice, not a push per token: the list of a large runbook is long.
  const tokens = all.slice();
  const titleAt = slots.title ? tokens.indexOf(slots.title) : -1;
  if (titleAt !== -1) tokens.splice(titleAt, 3);
  for (const t of tokens) {
    if (t.type === "heading_open" || t.type === "heading_close") {
      const id = t.type === "heading_open" ? slots.headingIds.get(t) : undefined;
      if (id) t.attrSet("id", `doc-${id}`);
      t.tag = DEMOTE[t.tag] ?? t.tag;
    }
    if (t.type === "inline") rewriteLinks(t);
  }
  const close = closeIndexes(tokens);
  const isSlot = (t: Token) => slots.fenceSteps.has(t) || slots.references.has(t) || slots.inlineSteps.has(t);
  // slotsBefore[k]: number of slot tokens in tokens[0..k), so "is there a slot inside" is O(1).
  const slotsBefore = new Int32Array(tokens.length + 1);
  for (let i = 0; i < tokens.length; i += 1) slotsBefore[i + 1] = slotsBefore[i] + (isSlot(tokens[i]) ? 1 : 0);
  const env = {};
  const render = (from: number, to: number) => md.renderer.render(tokens.slice(from, to), md.options, env);

  /** The paragraph open..close without the given lines (commands in plain text: their steps show them). */
  /** The paragraph without its command lines; a line's closing remark (`remarks`) stays as its text. */
  const renderWithout = (open: number, close: number, lines: number[], remarks?: Map<number, string>) => {
    const inline = tokens[open + 1];
    const kept: Token[] = [];
    const dropped = (line: number) => lines.includes(line) && !remarks?.has(line);
    let line = 0;
    let remarked = -1;
    for (const child of inline.children ?? []) {
      const isBreak = child.type === "softbreak" || child.type === "hardbreak";
      const remark = isBreak ? undefined : remarks?.get(line);
      if (remark !== undefined) {
        if (remarked !== line) kept.push(Object.assign(Object.create(Object.getPrototypeOf(child)), child, { type: "text", content: remark, children: null }) as Token);
        remarked = line;
      } else if (!dropped(line) && !(isBreak && (dropped(line + 1) || kept.length === 0))) kept.push(child);
      if (isBreak) line += 1;
    }
    const copy = Object.assign(Object.create(Object.getPrototypeOf(inline)), inline, { children: kept }) as Token;
    return md.renderer.render([tokens[open], copy, ...tokens.slice(open + 2, close + 1)], md.options, env);
  };

  function build(from: number, to: number): DocNode[] {
    const nodes: DocNode[] = [];
    let pending = from;
    const flush = (until: number) => {
      if (until > pending) {
        const html = render(pending, until);
        if (html.trim()) nodes.push(html);
      }
    };
    let i = from;
    while (i < to) {
      const t = tokens[i];
      const end = t.nesting === 1 && close[i] !== -1 ? close[i] : i;
      if (slotsBefore[end + 1] - slotsBefore[i] === 0) {
        i = end + 1;
        continue;
      }
      flush(i);
      const step = slots.fenceSteps.get(t);
      const ref = slots.references.get(t);
      const inline = slots.inlineSteps.get(t);
      if (step) nodes.push({ step });
      else if (ref) nodes.push({ ref: { id: ref.id, language: ref.language, code: fenceCode(t) } });
      else if (inline) {
        // A paragraph that is only the command becomes the step; a sentence stays, its steps follow it.
        if (!inline.sole) nodes.push(inline.plainLines ? renderWithout(i, end, inline.plainLines, inline.remarks) : render(i, end + 1));
        for (const id of inline.stepIds) nodes.push({ step: id });
      } else if (CONTAINERS.has(t.type)) {
        const tag = t.tag as "ul" | "ol" | "li" | "blockquote";
        const attrs = attrsOf(t);
        nodes.push({ tag, ...(attrs ? { attrs } : {}), children: build(i + 1, end) });
      } else nodes.push(render(i, end + 1));
      i = end + 1;
      pending = i;
    }
    flush(to);
    return nodes;
  }

  return { format: 1, nodes: build(0, tokens.length) };
}
