import type { MarkdownIt, StateCore, StateInline, Token } from "markdown-it";

// Raw HTML stays text (`html: false`), but runbooks from real repositories use a few tags for
// layout: `<br>` in table cells, `<kbd>`, `<sub>`/`<sup>`, `<b>`/`<i>`, `<img>`, and `<details><summary>…</summary>`
// around long output. Those few are read here, their attributes dropped, never passed through:
// - `<br>` is a line break (the line break after it in the source is not another); `<kbd>`,
//   `<sub>`, `<sup>`, `<b>`, `<i>` are themselves when opened and closed in the same paragraph
//   (an unmatched one stays text, but a stray `</summary>` is left out);
// - `<details>` is left out and its content shown open (at 3 a.m. nothing should be hidden behind a
//   click, and a page's steps, rendered between pieces of the document, cannot sit inside an
//   element); its `<summary>` text is shown in bold;
// - `<img>` is an image as markdown writes one (shown as a link, see markdown-it.ts).

// One bounded run up to `>`: no two parts of a pattern may match the same spaces, or a tag left
// open with a long run of them costs the square of its length.
const TAG = /^<(\/?)(br|kbd|sub|sup|b|strong|i|em|details|summary)(?=[\s/>])[^<>]{0,200}>/i;
const IMG = /^<img(?=[\s/>])([^<>]{0,1000})>/i;
const ATTRIBUTE = /(?:^|\s)(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const PAIRED = new Set(["kbd", "sub", "sup", "b", "strong", "i", "em", "summary"]);
/** What an opened-and-closed tag renders as. */
const ELEMENT: Record<string, string> = { kbd: "kbd", sub: "sub", sup: "sup", b: "strong", strong: "strong", i: "em", em: "em", summary: "strong" };

type TagMeta = { name: string; closing: boolean };
const tagOf = (t: Token): TagMeta => t.meta as TagMeta;

/**
 * `<img src alt>` becomes markdown's own image token, so it renders as a markdown image does (a
 * link labelled with its alt text: a page loads nothing from a host an author names).
 */
function readImage(state: StateInline, silent: boolean): boolean {
  const m = IMG.exec(state.src.slice(state.pos, state.pos + 1012));
  if (!m) return false;
  if (!silent) {
    const attrs: Record<string, string> = {};
    for (const a of m[1].matchAll(ATTRIBUTE)) attrs[a[1].toLowerCase()] ??= state.md.utils.unescapeAll(a[2] ?? a[3] ?? a[4]?.replace(/\/$/, "") ?? "");
    const src = state.md.normalizeLink(attrs.src ?? "");
    const token = state.push("image", "img", 0);
    token.attrs = [["src", state.md.validateLink(src) ? src : ""], ["alt", ""]];
    const alt = new state.Token("text", "", 0);
    alt.content = attrs.alt ?? "";
    token.children = alt.content ? [alt] : [];
    token.content = alt.content;
  }
  state.pos += m[0].length;
  return true;
}

function readTag(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false;
  if ((state.src.charCodeAt(state.pos + 1) | 0x20) === 0x69 /* i */ && readImage(state, silent)) return true;
  const m = TAG.exec(state.src.slice(state.pos, state.pos + 240));
  if (!m) return false;
  const name = m[2].toLowerCase();
  let end = state.pos + m[0].length;
  if (name === "br") {
    // `<br/>` at the end of a line: the line break after it is not a second one.
    let next = end;
    while (state.src[next] === " ") next += 1;
    if (state.src[next] === "\n") end = next + 1;
  }
  if (!silent) {
    if (name === "br") state.push("hardbreak", "br", 0);
    else {
      const token = state.push("layout_tag", "", 0);
      token.meta = { name, closing: m[1] === "/" } satisfies TagMeta;
      token.content = m[0];
    }
  }
  state.pos = end;
  return true;
}

/** Pairs the tags of one paragraph, innermost first; what has no partner is text again, and `<details>` is left out. */
function pairTags(children: Token[], Token: StateCore["Token"]): void {
  const open: Token[] = [];
  const paired = new Set<Token>();
  for (const t of children) {
    if (t.type !== "layout_tag" || !PAIRED.has(tagOf(t).name)) continue;
    if (!tagOf(t).closing) open.push(t);
    else {
      // Only the innermost open tag can close (constant time; the output stays well nested).
      if ((open.length ? tagOf(open[open.length - 1]).name : null) !== tagOf(t).name) continue;
      paired.add(open.pop()!).add(t);
    }
  }
  for (let i = 0; i < children.length; i += 1) {
    const t = children[i];
    if (t.type !== "layout_tag") continue;
    let replacement: Token;
    if (tagOf(t).name === "details") {
      // Left out with the line break around it: `<details>` on its own line leaves no blank line.
      replacement = new Token("text", "", 0);
      if (children[i + 1]?.type === "softbreak") children[i + 1] = new Token("text", "", 0);
      else if (children[i - 1]?.type === "softbreak") children[i - 1] = new Token("text", "", 0);
    }
    else if (paired.has(t)) replacement = new Token(tagOf(t).closing ? "layout_close" : "layout_open", ELEMENT[tagOf(t).name], tagOf(t).closing ? -1 : 1);
    else {
      replacement = new Token("text", "", 0);
      if (tagOf(t).name !== "summary" || !tagOf(t).closing) replacement.content = t.content;
    }
    children[i] = replacement;
  }
}

/** A paragraph that held only `<details>` / `</details>` (and spaces) leaves nothing behind. */
function isEmpty(children: Token[]): boolean {
  return children.every((t) => (t.type === "text" && !t.content.trim()) || t.type === "softbreak" || t.type === "hardbreak");
}

export function layoutTags(md: MarkdownIt): void {
  md.inline.ruler.after("autolink", "layout_tags", readTag);
  md.core.ruler.after("inline", "layout_tags", (state: StateCore) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i += 1) {
      const inline = tokens[i];
      if (inline.type !== "inline" || !inline.children?.some((t) => t.type === "layout_tag")) continue;
      const hadDetails = inline.children.some((t) => t.type === "layout_tag" && tagOf(t).name === "details");
      pairTags(inline.children, state.Token);
      if (hadDetails && isEmpty(inline.children) && tokens[i - 1]?.type === "paragraph_open" && tokens[i + 1]?.type === "paragraph_close") {
        tokens[i - 1].hidden = true;
        tokens[i + 1].hidden = true;
        inline.children = [];
      }
    }
  });
  const tag: (close: boolean) => NonNullable<MarkdownIt["renderer"]["rules"]["text"]> = (close) => (tokens, idx) => `<${close ? "/" : ""}${tokens[idx].tag}>`;
  md.renderer.rules.layout_open = tag(false);
  md.renderer.rules.layout_close = tag(true);
}
