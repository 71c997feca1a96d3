import type { Token } from "markdown-it";
import { analyzeCommand, looksLikeCommand, looksLikeProseCommand, type AnalyzedCommand } from "./analyze-command";
import type { Checklist, ChecklistItem, Link, LinkKind, ReferenceBlock, RunbookMetadata, Section, SectionKind, Step, StepFoundBy, Table } from "./model";
import { slugFromFileName, Slugger } from "./slug";
import { runsElsewhereItself, sessionOpenedBy } from "./sessions";
import { checkRunnable, holdsForSection, loginElsewhere, oneLine, type OpenSession, placedOnMachine, runsFromWorkstation, textLeavesSession, textPlacesInSession } from "./cannot-run";
import { plainCommandLines } from "./plain-commands";
import { hasPrompts, type RawCommand, SESSION_LANGS, splitCommands } from "./split-commands";
import { closeIndexes, endLine, inlineText, linksIn, type Phrase, phrases, significant, startLine } from "./tokens";
import { fenceInfo } from "./source";

// Walks markdown-it's token stream once and derives the runbook's structure: title, header
// metadata, sections, steps, checklists, tables, links, reference blocks. It also notes which
// tokens become slots in the rendered document (steps and reference blocks stand where they are).

/** A step before placeholder resolution (that needs the steps before it). */
export type DraftStep = Omit<Step, "commands" | "placeholders" | "captures" | "kind" | "runnable"> & { commands: AnalyzedCommand[] };

/** Tokens the document renderer treats specially. */
export type Slots = {
  title: Token | null;
  headingIds: Map<Token, string>;
  fenceSteps: Map<Token, string>;
  references: Map<Token, ReferenceBlock>;
  /**
   * paragraph_open → steps found in it; `sole` when the paragraph is nothing but the command;
   * `plainLines`: its lines that are commands written as plain text (the step shows them instead).
   */
  inlineSteps: Map<Token, { stepIds: string[]; sole: boolean; plainLines?: number[]; remarks?: Map<number, string> }>;
};

export type Derived = {
  title: string | null;
  metadata: RunbookMetadata;
  sections: Section[];
  steps: DraftStep[];
  checklists: Checklist[];
  tables: Table[];
  links: Link[];
  references: ReferenceBlock[];
  warnings: string[];
  /** Link hrefs by line, for validation log report links. */
  linksByLine: Map<number, string>;
  slots: Slots;
};

/** A command's first logical line, continuation lines joined. */
function logicalLine(c: RawCommand): string {
  return c.source.replace(/\\\r?\n\s*/g, " ").split("\n", 1)[0];
}

const SUBSTITUTION = /^\s*(?:(?:export|local|readonly)\s+)?[A-Za-z_]\w*=["']?\$\(/;
/** A program under a system or /opt folder, with arguments (`/opt/redis/bin/redis-cli -h …`). */
const SYSTEM_PROGRAM = /^\s*(?:sudo\s+)?\/(?:(?:usr\/(?:local\/)?)?s?bin|opt)\/[\w./-]+\s/;
const COMPOUND = /^\s*(?:for|while|until|if)\s/;

/** Whether a command names a known program or a path: directly, in `NAME=$(…)`, or in a loop's body. */
function readsAsCommand(c: RawCommand): boolean {
  const line = logicalLine(c);
  if (looksLikeCommand(line) || SYSTEM_PROGRAM.test(line)) return true;
  const substitution = SUBSTITUTION.exec(line);
  if (substitution) {
    const rest = line.slice(substitution[0].length);
    return looksLikeCommand(rest.slice(0, Math.max(rest.lastIndexOf(")"), 0)));
  }
  return COMPOUND.test(line) && c.source.split(/[;\n]|\bdo\b|\bthen\b/).some((part) => looksLikeCommand(part.trim()));
}

/**
 * Shell syntax no query or log line starts with: an assignment, a compound or a function
 * definition. Not an assignment followed by a number (`notAfter=Aug  6 13:11:20 2025 GMT`, an
 * openssl output line): no program is named by digits.
 */
const SHELL_SYNTAX = /^\s*(?:[A-Za-z_][A-Za-z0-9_]*=(?![^\s'"]*[ \t]+\d)|(?:if|for|while|until|case|select|function|export|set|source|cd)\s|[\w-]+\s*\(\)\s*\{)/;

function readsAsShell(c: RawCommand): boolean {
  return readsAsCommand(c) || SHELL_SYNTAX.test(logicalLine(c));
}

/**
 * Under a shell label, a program of any name reads as shell (`tsh login`, an in-house tool): a
 * lowercase word, a path, a quoted word or a variable first. A query (`100 * sum(…)`,
 * `sum by (job) (rate(x[5m]))`) or a log line (`Jun 01 …`) does not.
 */
const PROGRAM_FIRST = /^\s*(?:sudo\s+)?(?:[a-z][a-z0-9._+-]*(?:\s|$)|[\w.~-]*\/[\w./-]+|["'$[{!])/;
/** A query, or `ls -l`'s first line: not shell, whatever the label. */
const NOT_SHELL = /^\s*total\s+\d|^\s*\d|^\s*[A-Za-z_]\w*=[^\s'"]*[ \t]+\d|\[\d+[smhdwy]\]|\b(?:sum|rate|irate|increase|avg|max|min|count|histogram_quantile|topk|bottomk|absent)(?:\s+(?:by|without)\s*\([^)\n]{0,200}\))?\s*\(/;
/** Enough of a line to tell a query from a command. */
const NOT_SHELL_PREFIX = 400;

function readsAsLabelledShell(c: RawCommand): boolean {
  if (readsAsShell(c)) return true;
  const line = logicalLine(c);
  return !NOT_SHELL.test(line.slice(0, NOT_SHELL_PREFIX)) && PROGRAM_FIRST.test(line);
}

const SHELL_LANGS = new Set(["bash", "sh", "shell", "zsh", "ksh", "console", "shell-session", "shellsession", "terminal"]);
/** A lead-in that only announces a command ("Command:", "Run:"): a step is titled by its section. */
const GENERIC_LEAD_IN = /^(?:commands?(?: to run)?|run(?: this| the following)?|execute|cmd|example)\s*:?$/i;
const MARKDOWN_LANGS = new Set(["markdown", "md", "mdx"]);
const METADATA_KEYS: Record<string, keyof RunbookMetadata> = {
  scenario: "scenario",
  severity: "severity",
  owner: "owner",
  lastUpdated: "lastUpdated",
  lastValidated: "lastValidated",
};
const FILE_REF = /^[\w./-]+\.(md|markdown)$/i;
const MAX_DESCRIPTION = 600;

// A heading gets a kind when it is a well-known name and nothing else: "Diagnosis", "How to
// investigate", "3. Mitigation:", optionally followed by "steps"/"procedure" or by "and"/"&" and
// another known name ("Diagnosis and mitigation" is diagnosis). A sentence that merely starts with
// such a word ("Verify the status of the pods", "Fix alerts before continuing") is not a section
// name, and neither is a name joined to another word ("recovery/status").
const SECTION_KINDS: Array<[SectionKind, string[]]> = [
  ["meaning", ["meaning", "description", "overview", "summary", "what it means", "what this means", "what this alert means", "what does this alert mean", "alert", "alert description", "alert details"]],
  ["impact", ["impact", "business impact", "user impact", "customer impact"]],
  ["diagnosis", ["diagnosis", "diagnose", "diagnostics", "investigation", "investigate", "troubleshooting", "troubleshoot", "triage", "how to investigate", "how to diagnose", "how to troubleshoot", "check", "checks"]],
  ["mitigation", ["mitigation", "mitigate", "remediation", "remediate", "resolution", "resolve", "fix", "fixes", "recovery", "recover", "workaround", "workarounds", "how to fix", "how to resolve", "how to mitigate"]],
  ["verification", ["verification", "verify", "validation", "validate", "recovery validation", "how to verify"]],
  ["escalation", ["escalation", "escalations", "escalate", "escalation contacts", "escalation path", "escalation policy", "contact", "contacts"]],
];
const KIND_OF_NAME = new Map<string, SectionKind>(SECTION_KINDS.flatMap(([kind, names]) => names.map((name) => [name, kind] as const)));
const KNOWN_NAME = [...KIND_OF_NAME.keys()].sort((a, b) => b.length - a.length).join("|");
const SUFFIX = "(?: (?:steps|procedures?|process|plan|checklist))?";
const SECTION_NAME = new RegExp(`^(${KNOWN_NAME})${SUFFIX}(?: (?:and|&) (?:${KNOWN_NAME})${SUFFIX})?$`);

/**
 * Nouns that name a section's kind even at the head of a longer title ("Triage data to collect",
 * "Escalate to the storage team", "Mitigation for a full disk"), unlike verbs such as "fix" or
 * "verify", which start instructions. A validation log records drills; it is no verification.
 */
const KIND_NOUNS: Array<[SectionKind, RegExp]> = [
  ["meaning", /^meaning\b/],
  ["impact", /^impact\b/],
  ["diagnosis", /^(?:triage|diagnosis|diagnostics|troubleshooting|investigation|possible causes)\b/],
  ["mitigation", /^(?:possible )?(?:mitigation|remediation|resolutions?|workarounds?)\b/],
  ["verification", /^(?:verification|validation)\b(?! log)/],
  ["escalation", /^(?:escalation|escalate to)\b/],
];

const MAX_KIND_TITLE = 120;

/** "3. Diagnosis:" → "diagnosis"; undefined for any other heading. */
export function sectionKind(title: string): SectionKind | undefined {
  // No section name is this long; the patterns below need not see a 100,000-character heading.
  if (title.length > MAX_KIND_TITLE) return undefined;
  const text = title
    .toLowerCase()
    .replace(/^[\s#]*(\d+[.)]\s*|[a-z][.)]\s+|step \d+[:.]?\s*)?/, "")
    .replace(/\s*\([^)]*\)$/, "")
    .replace(/[\s:?.!]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
  const name = SECTION_NAME.exec(text)?.[1];
  if (name !== undefined) return KIND_OF_NAME.get(name);
  return KIND_NOUNS.find(([, noun]) => noun.test(text))?.[0];
}

function camelKey(key: string): string {
  const words = key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
}

/** `**Key:** value` lines of one paragraph (line breaks separate the lines). */
export function metadataLines(inline: Token | undefined): Array<{ key: string; value: string }> {
  const lines: Phrase[][] = [[]];
  for (const p of phrases(inline)) {
    if (p.kind === "break") lines.push([]);
    else lines[lines.length - 1].push(p);
  }
  const out: Array<{ key: string; value: string }> = [];
  for (const line of lines) {
    const [first, ...rest] = line;
    if (!first || first.kind !== "strong") continue;
    let key = first.text.trim();
    let value = rest.map((p) => ("text" in p ? p.text : "")).join("");
    if (key.endsWith(":")) key = key.slice(0, -1).trim();
    else if (value.trimStart().startsWith(":")) value = value.trimStart().slice(1);
    else continue;
    value = value.trim();
    if (key && value) out.push({ key, value });
  }
  return out;
}

export function linkKind(href: string): LinkKind {
  if (href.startsWith("#")) return "anchor";
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return "external";
  const path = href.replace(/[?#].*$/, "");
  if (!/\.(md|markdown)$/i.test(path)) return "document";
  return path.startsWith("../") || path.startsWith("/") ? "document" : "runbook";
}

type ItemInfo = { text: string; checked: boolean | null; line: number; stepIds: string[]; children: ItemInfo[] };

function capText(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}

class Walker {
  readonly sectionsRoot: Section[] = [];
  readonly stack: Section[] = [];
  readonly slugger = new Slugger();
  readonly steps: DraftStep[] = [];
  readonly checklists: Checklist[] = [];
  readonly tables: Table[] = [];
  readonly links: Link[] = [];
  readonly references: ReferenceBlock[] = [];
  readonly warnings: string[] = [];
  /** Lines of fences that never close. */
  readonly unterminated: number[] = [];
  readonly linksByLine = new Map<number, string>();
  readonly metadata: RunbookMetadata = { aliases: [], alerts: [], tags: [], other: {} };
  readonly perSectionCount = new Map<string, number>();
  /** Section kinds by heading text: long runbooks repeat Diagnosis, Mitigation… hundreds of times. */
  private readonly kinds = new Map<string, SectionKind | undefined>();
  readonly slots: Slots = { title: null, headingIds: new Map(), fenceSteps: new Map(), references: new Map(), inlineSteps: new Map() };
  readonly close: Int32Array;
  title: string | null = null;
  prose: string[] = [];
  items: ItemInfo[] = [];
  checklistDepth = 0;
  private tableCount = 0;
  private checklistCount = 0;
  private referenceCount = 0;
  /** The session the last step left open (its last command opens one), until the next heading. */
  private openSession: OpenSession | null = null;
  /** The heading level under which a session the text opened holds. */
  private textSessionLevel = 0;
  /** Whether the file has a level-1 heading at all (then only that can be the title). */
  private readonly hasLevelOne: boolean;
  /** The first heading when nothing stands before it (the only heading below level 1 that may be the title). */
  private readonly leadingHeading: Token | null;

  constructor(
    readonly tokens: Token[],
    readonly lines: string[],
    readonly templateLines: Set<number>,
  ) {
    this.close = closeIndexes(tokens);
    this.hasLevelOne = tokens.some((t) => t.type === "heading_open" && t.tag === "h1");
    const first = tokens.findIndex((t) => t.type === "heading_open");
    this.leadingHeading = first !== -1 && !tokens.slice(0, first).some((t) => t.level === 0) ? tokens[first] : null;
  }

  get section(): Section | null {
    return this.stack[this.stack.length - 1] ?? null;
  }

  get sectionPath(): string[] {
    return this.stack.map((s) => s.title);
  }

  private end(i: number): number {
    return this.close[i] === -1 ? i : this.close[i];
  }

  walk(from: number, to: number, topLevel: boolean): void {
    let i = from;
    while (i < to) {
      const t = this.tokens[i];
      switch (t.type) {
        case "heading_open":
          this.heading(t, this.tokens[i + 1], topLevel);
          break;
        case "paragraph_open":
          this.paragraph(t, this.tokens[i + 1], topLevel);
          break;
        case "fence":
        case "code_block":
          this.code(t);
          break;
        case "bullet_list_open":
        case "ordered_list_open":
          this.list(i);
          break;
        case "blockquote_open":
          this.walk(i + 1, this.end(i), false);
          break;
        case "table_open":
          this.table(i);
          break;
        default:
          break;
      }
      i = this.end(i) + 1;
    }
  }

  heading(open: Token, inline: Token, topLevel: boolean): void {
    const text = inlineText(inline).trim();
    // A session the text opened holds under deeper headings; a heading can open one itself
    // ("## SSH into the node"). One a command opened ends here.
    const level = Number(open.tag.slice(1));
    const keeps = holdsForSection(this.openSession) && level > this.textSessionLevel;
    if (!keeps) {
      this.openSession = loginElsewhere([text], startLine(open));
      this.textSessionLevel = level;
    }
    this.collectLinks(inline, startLine(open));
    // The title: a level-1 heading before any section, or, in a file without one, a level-2 heading
    // (setext `----` too) that opens the file and is not a section name like "Overview".
    const first = this.title === null && this.sectionsRoot.length === 0 && topLevel;
    if (first && (open.tag === "h1" || (open.tag === "h2" && open === this.leadingHeading && !this.hasLevelOne && !sectionKind(text)))) {
      this.title = text;
      this.slots.title = open;
      this.prose = [];
      return;
    }
    const depth = Number(open.tag.slice(1));
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].depth >= depth) this.stack.pop();
    let kind = this.kinds.get(text);
    if (kind === undefined && !this.kinds.has(text)) {
      kind = sectionKind(text);
      this.kinds.set(text, kind);
    }
    const id = this.slugger.slug(text);
    const line = startLine(open);
    const section: Section = kind ? { id, title: text, kind, depth, startLine: line, endLine: 0, children: [] } : { id, title: text, depth, startLine: line, endLine: 0, children: [] };
    (this.section?.children ?? this.sectionsRoot).push(section);
    this.stack.push(section);
    this.slots.headingIds.set(open, section.id);
    this.prose = [];
  }

  paragraph(open: Token, inline: Token, topLevel: boolean): void {
    if (topLevel && this.stack.length === 0) {
      for (const { key, value } of metadataLines(inline)) {
        const camel = camelKey(key);
        const known = METADATA_KEYS[camel];
        if (known) (this.metadata as Record<string, unknown>)[known] = value;
        else this.metadata.other[camel] = value;
      }
    }
    this.collectLinks(inline, startLine(open));
    const item = this.items[this.items.length - 1];
    // A paragraph of its own that is only a command (`cat /etc/app/config.yml`), after a lead-in.
    if (!item && inline?.children?.some((c) => c.type === "code_inline")) {
      const parts = significant(phrases(inline));
      if (parts.length === 1 && parts[0].kind === "code" && looksLikeProseCommand(parts[0].text)) {
        const leadIn = this.prose[this.prose.length - 1] ?? this.section?.title ?? "";
        const line = startLine(open);
        const id = this.inlineStep(parts[0].text, line, { text: leadIn, checked: null, line, stepIds: [], children: [] }, "prose");
        this.slots.inlineSteps.set(open, { stepIds: [id], sole: true });
        return;
      }
    }
    // Steps in a list item are code spans at its top level: without one there is nothing to phrase.
    if (item && inline?.children?.some((c) => c.type === "code_inline")) {
      const parts = significant(phrases(inline));
      if (parts.length === 1 && parts[0].kind === "code" && looksLikeCommand(parts[0].text)) {
        const id = this.inlineStep(parts[0].text, startLine(open), item, "list-item");
        this.slots.inlineSteps.set(open, { stepIds: [id], sole: true });
        return;
      }
      const commands = parts.filter((p): p is Phrase & { kind: "code" } => p.kind === "code" && looksLikeProseCommand(p.text));
      if (commands.length > 0) {
        const ids = commands.map((c) => this.inlineStep(c.text, startLine(open), item, "prose"));
        this.slots.inlineSteps.set(open, { stepIds: ids, sole: false });
      }
    }
    if (inline && !this.slots.inlineSteps.has(open) && this.plainSteps(open, inline, item)) return;
    this.noteProse(inlineText(inline).trim(), startLine(open));
  }

  /** Words of the text: the lead-in of what follows, and where it says to run it. */
  private noteProse(text: string, line: number): void {
    if (!text) return;
    this.prose.push(text);
    // "1. SSH into the affected node." with no command of its own: the steps after it run there.
    if (!this.openSession) {
      const login = loginElsewhere([text], line);
      if (login) {
        this.openSession = login;
        this.textSessionLevel = this.section?.depth ?? 1;
      }
    } else if (holdsForSection(this.openSession) && textLeavesSession([text])) this.openSession = null;
  }

  /**
   * Commands written as plain text on lines of their own (see ./plain-commands): each is a step.
   * Lines before the first are its lead-in; the paragraph keeps its other lines on the page.
   */
  private plainSteps(open: Token, inline: Token, item: ItemInfo | undefined): boolean {
    const parent = item && this.items.length >= 2 ? this.items[this.items.length - 2] : null;
    const before = (item ? parent?.text : this.prose[this.prose.length - 1]) ?? this.section?.title ?? "";
    const found = plainCommandLines(inline.content, before);
    if (found.length === 0) return false;
    const lines = inline.content.split("\n");
    // The page drops the command lines by counting line breaks: only where each line ends in one
    // (an image's alt text across lines, or `<details>` on a line of its own, would shift them).
    const breaks = inline.children?.filter((c) => c.type === "softbreak" || c.type === "hardbreak").length ?? 0;
    if (breaks !== lines.length - 1) return false;
    const first = startLine(open);
    const isCommand = (i: number) => found.some((f) => f.index === i);
    const remarks = new Map(found.flatMap((f) => (f.remark ? [[f.index, f.remark] as const] : [])));
    const prose = lines
      .map((line, i) => (isCommand(i) ? (remarks.get(i) ?? "") : line))
      .join(" ")
      .trim();
    const ids = found.map(({ index, source }) => {
      // The nearest line of words above it in the paragraph (a code span there reads as its words).
      let at = index - 1;
      while (at >= 0 && (isCommand(at) || !lines[at].trim())) at -= 1;
      const leadIn = at >= 0 ? lines[at].trim().replace(/`([^`]*)`/g, "$1") : "";
      // "Command:" says nothing of the step: its section's title does.
      if (GENERIC_LEAD_IN.test(leadIn)) return this.inlineStep(source, first + index, { text: this.section?.title ?? "", checked: null, line: first, stepIds: [], children: [] }, "plain-text");
      // Without a lead-in of its own: the list item above this one's ("1. Check the kubelet:"), or the text before.
      const text = leadIn || parent?.text || this.prose[this.prose.length - 1] || this.section?.title || "";
      return this.inlineStep(source, first + index, { text, checked: null, line: first, stepIds: [], children: [] }, "plain-text");
    });
    this.slots.inlineSteps.set(open, { stepIds: ids, sole: !prose, plainLines: found.map((f) => f.index), ...(remarks.size ? { remarks } : {}) });
    this.noteProse(prose, first);
    return true;
  }

  private nextStepId(): { id: string; ordinal: number } {
    const key = this.section?.id ?? "top";
    const n = (this.perSectionCount.get(key) ?? 0) + 1;
    this.perSectionCount.set(key, n);
    return { id: `${key}-${n}`, ordinal: this.steps.length + 1 };
  }

  private recordItemStep(stepId: string): void {
    for (const item of this.items) item.stepIds.push(stepId);
  }

  inlineStep(source: string, line: number, item: ItemInfo, foundBy: StepFoundBy): string {
    const { id, ordinal } = this.nextStepId();
    const parent = foundBy === "list-item" && this.items.length >= 2 ? this.items[this.items.length - 2] : null;
    const titleItem = parent ?? item;
    const title = capText(titleItem.text.replace(/[:\s]+$/, "")).slice(0, 160) || this.section?.title || this.title || "Step";
    this.steps.push({
      id,
      ordinal,
      sectionId: this.section?.id ?? null,
      sectionPath: this.sectionPath,
      title,
      description: capText(titleItem.text),
      origin: "inline",
      foundBy,
      language: null,
      source,
      startLine: line,
      endLine: line,
      commands: this.runnable([analyzeCommand({ source, group: 1 }, 1, { start: line, end: line })], {}, { itemText: [parent?.text, item.text].filter(Boolean).join("\n"), inline: true }),
    });
    this.recordItemStep(id);
    return id;
  }

  /**
   * Marks what cannot run as written (`cannot-run.ts`): a session opener and what follows it, also
   * in later steps of the section when the text places them in that session; output lines; prompts
   * for typing; alternatives.
   */
  private runnable(commands: AnalyzedCommand[], check: { output?: Set<number> } = {}, own?: { itemText?: string; inline?: boolean }): AnalyzedCommand[] {
    const leadIn = [...this.prose.slice(-2), ...(own?.itemText ? [own.itemText] : [])];
    // A login the text asks for: in the words since the last step, or an inline step's own item
    // (the list's earlier items are prose too, and "exec into the pod" there is not for this one).
    const loginText = own?.inline ? [own.itemText ?? ""] : leadIn;
    if (holdsForSection(this.openSession) && textLeavesSession(loginText)) this.openSession = null;
    // The step's own command opens the session or runs its work there (`ssh node-3`, `kubectl
    // exec pod -- df -h`): the words before it describe that command, not where to run it.
    const itself = commands.some((c) => sessionOpenedBy(c.source) !== null || runsElsewhereItself(c.source));
    const line = commands[0]?.startLine ?? 0;
    const sources = commands.map((c) => c.source);
    let openSession: OpenSession | null = null;
    // A session the text opened holds for the rest of its section (but for cluster clients such
    // as `kubectl`, run from a workstation); one a command opened, only for steps the text places
    // in it ("Inside the pod, …").
    if (holdsForSection(this.openSession)) openSession = itself || runsFromWorkstation(sources) ? null : this.openSession;
    else if (this.openSession && textPlacesInSession(leadIn)) openSession = this.openSession;
    let placedOnly = false;
    if (!openSession && !itself) {
      const login = loginElsewhere(loginText, line);
      openSession = login ?? placedOnMachine(loginText, sources, line);
      // "Restart it on the node" places this step only; a login holds for the section.
      placedOnly = !login && !!openSession;
      if (login && !holdsForSection(this.openSession)) this.textSessionLevel = this.section?.depth ?? 1;
    }
    const before = this.openSession;
    const result = checkRunnable(commands, { ...check, openSession });
    this.warnings.push(...result.warnings);
    // A text session stays open past a step that ran its own remote command.
    // "rsh into the etcd container" then `oc rsh …`: the session that command opens holds for the
    // section, as the one the text announced.
    const held = holdsForSection(before) ? before : null;
    this.openSession = placedOnly ? held : held && result.leavesOpen ? { ...result.leavesOpen, announced: true } : (result.leavesOpen ?? held);
    return result.commands;
  }

  /** A fenced or an indented code block: a step when it holds shell commands, else a reference block. */
  code(token: Token): void {
    const fenced = token.type === "fence";
    const lang = (fenced && token.info.trim().split(/\s+/, 1)[0].toLowerCase()) || null;
    const start = startLine(token);
    if (this.templateLines.has(start) || (lang && MARKDOWN_LANGS.has(lang))) return;
    if (fenced && !fenceCloses(token, this.lines)) this.unterminated.push(start);
    const raw = this.shellCommands(token.content.replace(/\n$/, ""), lang, start);
    if (raw === null) {
      this.referenceCount += 1;
      const ref: ReferenceBlock = { id: `${this.section?.id ?? "top"}-ref-${this.referenceCount}`, language: lang, sectionId: this.section?.id ?? null, startLine: start, endLine: endLine(token) };
      this.references.push(ref);
      this.slots.references.set(token, ref);
      this.prose = [];
      return;
    }
    if (raw.length === 0) {
      this.warnings.push(`Line ${start}: the ${lang ?? "code"} block has no commands (only comments), so it is not a step.`);
      return;
    }
    // A fence's first line is its opening marker; an indented block starts with its content.
    const contentStart = fenced ? start + 1 : start;
    const analyzed = raw.map((r, i) => analyzeCommand(r, i + 1, { start: contentStart + r.startOffset, end: contentStart + r.endOffset }));
    for (const c of analyzed) {
      if (c.unreadable) this.warnings.push(`Line ${c.startLine}: \`${oneLine(c.source)}\` could not be read as a shell command (${c.unreadable}); it is shown but cannot run.`);
    }
    const item = this.items[this.items.length - 1];
    const commands = this.runnable(analyzed, { output: raw.output }, { itemText: item?.text });
    const { id, ordinal } = this.nextStepId();
    const leadIn = this.prose[this.prose.length - 1];
    const title =
      (leadIn && leadIn.length <= 80 && leadIn.endsWith(":") ? leadIn.replace(/[:\s]+$/, "") : null) ??
      (item ? item.text.replace(/[:\s]+$/, "").slice(0, 160) : null) ??
      this.section?.title ??
      this.title ??
      "Step";
    const comments = [...new Set(commands.map((c) => c.comment).filter((c): c is string => !!c))];
    const description = [...this.prose.slice(-2), ...(item && !this.prose.includes(item.text) ? [item.text] : []), ...comments].filter(Boolean).join("\n\n");
    this.steps.push({
      id,
      ordinal,
      sectionId: this.section?.id ?? null,
      sectionPath: this.sectionPath,
      title,
      description: capText(description),
      origin: "fence",
      foundBy: lang === null ? "bare-fence" : "shell-fence",
      language: lang,
      source: token.content.replace(/\n$/, ""),
      startLine: start,
      endLine: endLine(token),
      commands,
    });
    this.slots.fenceSteps.set(token, id);
    this.recordItemStep(id);
    this.prose = [];
  }

  /**
   * The commands a code block runs, or null when it is not shell (it becomes a reference block).
   * - A transcript (prompted lines) runs its prompted lines: the author marked them.
   * - A block labelled as a script (bash, sh…) is trusted, unless nothing in it reads as shell
   *   (a query or log lines under an `sh` label): running `100 * sum(…)` would be wrong. Lines
   *   in it that read as output (`-rw-r--r-- 1 root …`) are listed in `output`: never run.
   * - An unlabelled or indented block, or a session block without prompts, is shell when one
   *   command reads as a command (a known program, a path); what follows its last command is
   *   output, and a line among its commands that does not read as shell makes it not runnable.
   */
  private shellCommands(text: string, lang: string | null, start: number): (RawCommand[] & { output?: Set<number> }) | null {
    if (lang !== null && !SHELL_LANGS.has(lang)) return null;
    const raw: RawCommand[] & { output?: Set<number> } = splitCommands(text);
    if (hasPrompts(text)) return raw;
    if (lang !== null && !SESSION_LANGS.has(lang)) {
      const output = new Set(raw.flatMap((c, i) => (readsAsLabelledShell(c) ? [] : [i])));
      if (output.size < raw.length) return Object.assign(raw, { output });
      if (raw.length === 0) return raw;
      this.warnings.push(`Line ${start}: the ${lang} block reads as no shell command (a query or output?), so it is shown as a reference, not a step.`);
      return null;
    }
    if (!raw.some(readsAsCommand)) return null;
    // What follows the last command is its output, and is left out. A line before a command that
    // does not read as shell is kept and marked (`output`): dropping a `cd` or a `. ./prod.env`
    // would change what the next command does.
    // Among commands, a program of any name reads as shell (`bundle install`), as under a label.
    const shell = raw.map(readsAsShell);
    const commands: RawCommand[] & { output?: Set<number> } = raw.slice(0, shell.lastIndexOf(true) + 1);
    const output = new Set(commands.flatMap((c, i) => (shell[i] || readsAsLabelledShell(c) ? [] : [i])));
    return output.size ? Object.assign(commands, { output }) : commands;
  }

  private itemRanges(listIndex: number): number[] {
    const out: number[] = [];
    const end = this.end(listIndex);
    for (let i = listIndex + 1; i < end; i = this.end(i) + 1) if (this.tokens[i].type === "list_item_open") out.push(i);
    return out;
  }

  private firstInline(itemIndex: number): Token | undefined {
    const next = this.tokens[itemIndex + 1];
    return next?.type === "paragraph_open" ? this.tokens[itemIndex + 2] : undefined;
  }

  list(listIndex: number): void {
    const open = this.tokens[listIndex];
    const items = this.itemRanges(listIndex);
    const checkedOf = (i: number): boolean | null => (typeof this.tokens[i].meta?.checked === "boolean" ? this.tokens[i].meta.checked : null);
    const entries = items.map((i) => this.indexEntry(i, checkedOf(i)));
    const isIndex = items.length > 0 && entries.every((e) => e !== null);
    const ordered = open.type === "ordered_list_open";
    const isChecklist = !isIndex && (ordered || items.some((i) => checkedOf(i) !== null));
    const leadIn = this.prose[this.prose.length - 1];
    const parent = this.items[this.items.length - 1];
    const infos: ItemInfo[] = [];
    if (isChecklist) this.checklistDepth += 1;
    items.forEach((itemIndex, n) => {
      const info: ItemInfo = { text: inlineText(this.firstInline(itemIndex)).trim(), checked: checkedOf(itemIndex), line: startLine(this.tokens[itemIndex]), stepIds: [], children: [] };
      infos.push(info);
      if (isIndex) {
        this.links.push(entries[n]!);
        return;
      }
      this.items.push(info);
      this.walk(itemIndex + 1, this.end(itemIndex), false);
      this.items.pop();
    });
    if (parent && !isIndex) parent.children.push(...infos);
    if (isChecklist) this.checklistDepth -= 1;
    if (isChecklist && this.checklistDepth === 0) {
      this.checklistCount += 1;
      const checklist: Checklist = {
        id: `${this.section?.id ?? "top"}-checklist-${this.checklistCount}`,
        sectionId: this.section?.id ?? null,
        sectionPath: this.sectionPath,
        title: this.section?.title ?? this.title ?? "Checklist",
        ...(leadIn ? { leadIn: capText(leadIn) } : {}),
        kind: items.some((i) => checkedOf(i) !== null) ? "task" : "ordered",
        startLine: startLine(open),
        items: infos.map(toChecklistItem),
      };
      this.checklists.push(checklist);
    }
    const texts = infos.map((i) => i.text).filter(Boolean);
    if (texts.length > 0) this.prose.push(capText(texts.join("\n")));
  }

  /** `- [ ] **incident_response.md** — …` or `- [ ] [Title](file.md) — …` in a task list. */
  private indexEntry(itemIndex: number, checked: boolean | null): Link | null {
    if (checked === null) return null;
    const inline = this.firstInline(itemIndex);
    if (!inline) return null;
    const [lead, ...rest] = significant(phrases(inline));
    if (!lead) return null;
    let href: string | null = null;
    let text = "";
    if (lead.kind === "link") {
      href = lead.href;
      text = lead.text.trim();
    } else if (lead.kind === "strong" || lead.kind === "em" || lead.kind === "code") {
      text = lead.text.trim();
      if (FILE_REF.test(text)) href = text;
    }
    if (!href) return null;
    const description = rest
      .map((p) => ("text" in p ? p.text : ""))
      .join("")
      .replace(/^[\s—–:-]+/, "")
      .trim();
    return this.makeLink(text, href, linkKind(href), checked, startLine(this.tokens[itemIndex]), description);
  }

  private makeLink(text: string, href: string, kind: LinkKind, checked: boolean | null, line: number, description?: string): Link {
    return {
      text,
      href,
      kind,
      targetSlug: kind === "runbook" ? slugFromFileName(href) : null,
      category: this.section?.title ?? null,
      sectionId: this.section?.id ?? null,
      ...(description ? { description } : {}),
      checked,
      pending: kind === "runbook",
      line,
    };
  }

  collectLinks(inline: Token | undefined, line: number): void {
    for (const { href, text } of linksIn(inline)) {
      const item = this.items[this.items.length - 1];
      this.links.push(this.makeLink(text, href, linkKind(href), item ? item.checked : null, line));
      if (!this.linksByLine.has(line)) this.linksByLine.set(line, href);
    }
  }

  table(tableIndex: number): void {
    const end = this.end(tableIndex);
    const headers: string[] = [];
    const rows: Array<Record<string, string>> = [];
    let row: string[] | null = null;
    let rowLine = 0;
    let inHead = false;
    for (let i = tableIndex + 1; i < end; i += 1) {
      const t = this.tokens[i];
      if (t.type === "thead_open") inHead = true;
      else if (t.type === "thead_close") inHead = false;
      else if (t.type === "tr_open") {
        row = [];
        rowLine = t.map ? t.map[0] + 1 : rowLine + 1;
      } else if (t.type === "inline" && row) {
        row.push(inlineText(t).trim());
        this.collectLinks(t, rowLine);
      } else if (t.type === "tr_close" && row) {
        if (inHead) headers.push(...row);
        else {
          const record: Record<string, string> = {};
          headers.forEach((h, n) => {
            record[h || `column${n + 1}`] = row![n] ?? "";
          });
          rows.push(record);
        }
        row = null;
      }
    }
    this.tableCount += 1;
    this.tables.push({
      id: `${this.section?.id ?? "top"}-table-${this.tableCount}`,
      sectionId: this.section?.id ?? null,
      sectionPath: this.sectionPath,
      headers,
      rows,
      startLine: startLine(this.tokens[tableIndex]),
      endLine: endLine(this.tokens[tableIndex]),
    });
    this.prose = [];
  }
}


function toChecklistItem(info: ItemInfo): ChecklistItem {
  return { text: info.text, checked: info.checked, manual: info.stepIds.length === 0, line: info.line, stepIds: info.stepIds, children: info.children.map(toChecklistItem) };
}

function setEndLines(sections: Section[], lastLine: number): void {
  const flat: Section[] = [];
  const collect = (list: Section[]) => {
    for (const s of list) {
      flat.push(s);
      collect(s.children);
    }
  };
  collect(sections);
  // Walk backwards remembering the nearest following start per depth: linear, not a search per section.
  const nextAtDepth: number[] = [];
  for (let i = flat.length - 1; i >= 0; i -= 1) {
    const s = flat[i];
    let next = Infinity;
    for (let d = 1; d <= s.depth; d += 1) if (nextAtDepth[d] !== undefined) next = Math.min(next, nextAtDepth[d]);
    s.endLine = next === Infinity ? lastLine : next - 1;
    nextAtDepth[s.depth] = s.startLine;
  }
}

/** Whether a fence token ends with a proper closing fence line. */
export function fenceCloses(token: Token, lines: string[]): boolean {
  if (!token.map || token.map[1] - 1 <= token.map[0]) return false;
  const open = fenceInfo(lines[token.map[0]] ?? "");
  const close = fenceInfo(lines[token.map[1] - 1] ?? "");
  return !!open && !!close && close.info === "" && close.marker[0] === open.marker[0] && close.marker.length >= open.marker.length;
}

export function derive(tokens: Token[], lines: string[], lastLine: number, templateLines: Set<number> = new Set(), unterminatedTemplates: number[] = []): Derived {
  const walker = new Walker(tokens, lines, templateLines);
  walker.walk(0, tokens.length, true);
  setEndLines(walker.sectionsRoot, lastLine);
  for (const line of [...walker.unterminated, ...unterminatedTemplates].sort((a, b) => a - b)) {
    walker.warnings.push(`Line ${line}: code fence is never closed; the rest of its block is read as code.`);
  }
  return {
    title: walker.title,
    metadata: walker.metadata,
    sections: walker.sectionsRoot,
    steps: walker.steps,
    checklists: walker.checklists,
    tables: walker.tables,
    links: walker.links,
    references: walker.references,
    warnings: walker.warnings,
    linksByLine: walker.linksByLine,
    slots: walker.slots,
  };
}
