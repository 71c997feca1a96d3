import type { Token } from "markdown-it";

// Small helpers over markdown-it's flat token stream: matching close tokens, and the phrasing
// content of an inline token grouped the way a reader sees it (text, code, strong, link…).

/** For every opening token, the index of its closing token (−1 for tokens that open nothing). */
export function closeIndexes(tokens: Token[]): Int32Array {
  const close = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    if (t.nesting === 1) stack.push(i);
    else if (t.nesting === -1) {
      const open = stack.pop();
      if (open !== undefined) close[open] = i;
    }
  }
  return close;
}

export type Phrase =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "break" }
  | { kind: "strong" | "em" | "del"; text: string }
  | { kind: "link"; text: string; href: string }
  | { kind: "image"; text: string };

const WRAPPERS: Record<string, "strong" | "em" | "del" | "link"> = { strong_open: "strong", em_open: "em", s_open: "del", link_open: "link" };

/** Plain text of inline children (code spans keep their content; breaks are line feeds). */
export function childrenText(children: Token[] | null | undefined): string {
  let out = "";
  for (const c of children ?? []) {
    if (c.type === "text" || c.type === "code_inline" || c.type === "text_special") out += c.content;
    else if (c.type === "softbreak" || c.type === "hardbreak") out += "\n";
    else if (c.type === "image") out += childrenText(c.children);
  }
  return out;
}

export function inlineText(token: Token | undefined): string {
  return token ? childrenText(token.children) : "";
}

/** Top-level phrasing of an inline token: wrappers (strong, links…) become one phrase with their text. */
export function phrases(token: Token | undefined): Phrase[] {
  const out: Phrase[] = [];
  const children = token?.children ?? [];
  for (let i = 0; i < children.length; i += 1) {
    const c = children[i];
    const wrapper = WRAPPERS[c.type];
    if (wrapper) {
      let depth = 1;
      let j = i + 1;
      while (j < children.length && depth > 0) {
        if (children[j].nesting === 1) depth += 1;
        else if (children[j].nesting === -1) depth -= 1;
        j += 1;
      }
      const text = childrenText(children.slice(i + 1, j - 1));
      if (wrapper === "link") out.push({ kind: "link", text, href: String(c.attrGet("href") ?? "") });
      else out.push({ kind: wrapper, text });
      i = j - 1;
    } else if (c.type === "text" || c.type === "text_special") {
      if (c.content === "") continue;
      const last = out[out.length - 1];
      if (last?.kind === "text") last.text += c.content;
      else out.push({ kind: "text", text: c.content });
    } else if (c.type === "code_inline") out.push({ kind: "code", text: c.content });
    else if (c.type === "softbreak" || c.type === "hardbreak") out.push({ kind: "break" });
    else if (c.type === "image") out.push({ kind: "image", text: childrenText(c.children) });
  }
  return out;
}

/** Phrases that carry something (not blank text). */
export function significant(list: Phrase[]): Phrase[] {
  return list.filter((p) => !(p.kind === "text" && p.text.trim() === ""));
}

/** Every link (href and text) inside an inline token, nested ones included. */
export function linksIn(token: Token | undefined): Array<{ href: string; text: string }> {
  const out: Array<{ href: string; text: string }> = [];
  const children = token?.children ?? [];
  for (let i = 0; i < children.length; i += 1) {
    if (children[i].type !== "link_open") continue;
    let j = i + 1;
    while (j < children.length && children[j].type !== "link_close") j += 1;
    out.push({ href: String(children[i].attrGet("href") ?? ""), text: childrenText(children.slice(i + 1, j)).trim() });
  }
  return out;
}

/** 1-based first line of a token. */
export function startLine(token: Token): number {
  return token.map ? token.map[0] + 1 : 0;
}

/** 1-based last line of a block token. */
export function endLine(token: Token): number {
  return token.map ? token.map[1] : 0;
}
