import type { Env, MarkdownIt, StateBlock, StateInline, Token } from "markdown-it";

// markdown-it 15's build sets every field of every Token through a transpiler helper
// (`_defineProperty`: a property-key conversion per field), a tenth of the parse of a large
// runbook. The block and inline states' `push` / `pushPending` build tokens with the module's own
// class (not `state.Token`), so a plain constructor can only come in by replacing those three
// methods with copies that use it: same fields in the same order, same prototype, so the tokens
// are the stock ones (`fast-tokens.test.ts` compares them on the seeds and the corpus). The core
// state makes its few tokens (linkify) through `state.Token` and is left as it is. The inline
// state, made once per paragraph, heading and cell, sets its twelve fields through the same helper;
// `md.inline.State` is the instance's to replace, with a constructor of the same fields.
// `installFastTokens` checks all this against the stock methods on a sample and keeps the stock
// ones if anything differs (another markdown-it version).

type TokenConstructor = new (type: string, tag: string, nesting: Token["nesting"]) => Token;

/** A constructor making the same objects as markdown-it's Token, with plain assignments. */
function plainTokenConstructor(prototype: Token): TokenConstructor {
  function PlainToken(this: Token, type: string, tag: string, nesting: Token["nesting"]) {
    this.map = null;
    this.level = 0;
    this.children = null;
    this.content = "";
    this.markup = "";
    this.info = "";
    this.block = false;
    this.hidden = false;
    this.type = type;
    this.tag = tag;
    this.attrs = null;
    this.nesting = nesting;
    this.meta = null;
  }
  PlainToken.prototype = prototype;
  return PlainToken as unknown as TokenConstructor;
}

type InlineStateConstructor = MarkdownIt["inline"]["State"];

/** A constructor making the same objects as markdown-it's StateInline, with plain assignments. */
function plainInlineStateConstructor(stock: InlineStateConstructor, StockToken: typeof Token): InlineStateConstructor {
  function PlainStateInline(this: StateInline, src: string, md: MarkdownIt, env: Env, outTokens: Token[]) {
    this.pos = 0;
    this.level = 0;
    this.pending = "";
    this.pendingLevel = 0;
    this.cache = {};
    this.backticks = {};
    this.backticksScanned = false;
    this.skipHtmlSpecial = false;
    this.linkLevel = 0;
    this.delimiters = [];
    this._prev_delimiters = [];
    this.Token = StockToken;
    this.src = src;
    this.env = env;
    this.md = md;
    this.tokens = outTokens;
    this.tokens_meta = Array(outTokens.length);
    this.posMax = this.src.length;
  }
  PlainStateInline.prototype = stock.prototype;
  return PlainStateInline as unknown as InlineStateConstructor;
}

type Methods = { blockPush: StateBlock["push"]; inlinePush: StateInline["push"]; inlinePushPending: StateInline["pushPending"] };

/** markdown-it 15.0's StateBlock#push, StateInline#push and #pushPending, building tokens with `Token`. */
function fastMethods(Token: TokenConstructor): Methods {
  return {
    blockPush(this: StateBlock, type, tag, nesting) {
      const token = new Token(type, tag, nesting);
      token.block = true;
      if (nesting < 0) this.level--;
      token.level = this.level;
      if (nesting > 0) this.level++;
      this.tokens.push(token);
      return token;
    },
    inlinePushPending(this: StateInline) {
      const token = new Token("text", "", 0);
      token.content = this.pending;
      token.level = this.pendingLevel;
      this.tokens.push(token);
      this.pending = "";
      return token;
    },
    inlinePush(this: StateInline, type, tag, nesting) {
      if (this.pending) this.pushPending();
      const token = new Token(type, tag, nesting);
      let tokenMeta: StateInline["tokens_meta"][number] | undefined;
      if (nesting < 0) {
        this.level--;
        this.delimiters = this._prev_delimiters.pop()!;
      }
      token.level = this.level;
      if (nesting > 0) {
        this.level++;
        this._prev_delimiters.push(this.delimiters);
        this.delimiters = [];
        tokenMeta = { delimiters: this.delimiters };
      }
      this.pendingLevel = this.level;
      this.tokens.push(token);
      this.tokens_meta.push(tokenMeta as StateInline["tokens_meta"][number]);
      return token;
    },
  };
}

// Block and inline rules of every kind the console uses: lists, task lists, tables, fences,
// quotes, emphasis, code spans, links, autolinks, linkify, escapes, entities, line breaks.
const SAMPLE = [
  "# Title *em* and `code`",
  "",
  "**Owner:** team\\",
  "next  ",
  "line &amp; [link](other.md) <https://a.example> https://b.example/x",
  "",
  "- [ ] task ~~old~~ __strong__",
  "  1. nested `kubectl get pods`",
  "",
  "> quote ![img](x.png)",
  "",
  "| a | b |",
  "|---|:-:|",
  "| `c` | [d](#e) |",
  "",
  "```bash",
  "ls",
  "```",
  "",
  "    indented",
  "",
  "***",
  "",
  "Setext",
  "---",
].join("\n");

/** Token streams as plain data, prototype and key order included. */
function snapshot(tokens: Token[]): unknown {
  return tokens.map((t) => ({ proto: Object.getPrototypeOf(t), keys: Object.keys(t).join(","), ...t, children: t.children && snapshot(t.children) }));
}

function sameSnapshot(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = Object.keys(a);
  if (keys.join(",") !== Object.keys(b).join(",")) return false;
  return keys.every((k) => sameSnapshot((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Whether two token streams are the same: fields, their order, prototypes, children. */
export function sameTokens(a: Token[], b: Token[]): boolean {
  return sameSnapshot(snapshot(a), snapshot(b));
}

let stock: Methods | null = null;
let installed: boolean | null = null;
const stockInlineStates = new WeakMap<MarkdownIt, InlineStateConstructor>();

function setMethods(md: MarkdownIt, methods: Methods): void {
  md.block.State.prototype.push = methods.blockPush;
  md.inline.State.prototype.push = methods.inlinePush;
  md.inline.State.prototype.pushPending = methods.inlinePushPending;
}

function currentMethods(md: MarkdownIt): Methods {
  return { blockPush: md.block.State.prototype.push, inlinePush: md.inline.State.prototype.push, inlinePushPending: md.inline.State.prototype.pushPending };
}

/** Runs `fn` with markdown-it's own token-building methods and inline state (the self-check here, and tests). */
export function withStockTokens<T>(md: MarkdownIt, fn: () => T): T {
  const fastState = md.inline.State;
  const stockState = stockInlineStates.get(md) ?? fastState;
  const fast = currentMethods(md);
  md.inline.State = stockState;
  if (installed && stock) setMethods(md, stock);
  try {
    return fn();
  } finally {
    setMethods(md, fast);
    md.inline.State = fastState;
  }
}

/** Same fields in the same order with the same values (fresh arrays and objects compared by content). */
function sameFields(a: object, b: object): boolean {
  const keys = Object.keys(a);
  if (keys.join(",") !== Object.keys(b).join(",")) return false;
  return keys.every((k) => {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (x === y) return true;
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
    return typeof x === "object" && typeof y === "object" && x !== null && y !== null && Object.getPrototypeOf(x) === Object.getPrototypeOf(y) && Object.keys(x).length === 0 && Object.keys(y).length === 0;
  });
}

/** The shared state methods, replaced once for every instance. */
function installMethods(md: MarkdownIt): boolean {
  stock = currentMethods(md);
  const probe = new md.block.State("", md, {}, []).Token as unknown as TokenConstructor | undefined;
  if (typeof probe !== "function" || Object.values(stock).some((m) => typeof m !== "function")) return false;
  const expected = md.parse(SAMPLE, {});
  setMethods(md, fastMethods(plainTokenConstructor(probe.prototype)));
  let same = false;
  try {
    same = sameTokens(expected, md.parse(SAMPLE, {}));
  } catch {
    same = false;
  }
  if (!same) setMethods(md, stock);
  return same;
}

/** This instance's inline state constructor, replaced if a plain one makes the same states and tokens. */
function installInlineState(md: MarkdownIt): void {
  const stockState = md.inline.State;
  const sample: Token[] = [];
  const reference = new stockState("x", md, {}, sample);
  const plain = plainInlineStateConstructor(stockState, reference.Token);
  if (!sameFields(reference, new plain("x", md, {}, sample))) return;
  const expected = md.parse(SAMPLE, {});
  md.inline.State = plain;
  let same = false;
  try {
    same = sameTokens(expected, md.parse(SAMPLE, {}));
  } catch {
    same = false;
  }
  if (same) stockInlineStates.set(md, stockState);
  else md.inline.State = stockState;
}

/**
 * Replaces markdown-it's token-building state methods (shared by every instance) once, and this
 * instance's inline state constructor, where the replacements give the very tokens the stock ones
 * give on the sample; returns whether the shared methods are in.
 */
export function installFastTokens(md: MarkdownIt): boolean {
  installed ??= installMethods(md);
  if (installed) installInlineState(md);
  return installed;
}
