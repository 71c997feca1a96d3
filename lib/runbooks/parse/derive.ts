import type { Code, Heading, Link as MdLink, List, ListItem, Nodes, Paragraph, PhrasingContent, Root, RootContent, Table as MdTable } from "mdast";
import { toString } from "mdast-util-to-string";
import { analyzeCommand, looksLikeCommand, type AnalyzedCommand } from "./analyze-command";
import type { Checklist, ChecklistItem, Link, LinkKind, RunbookMetadata, Section, Step, Table, Template } from "./model";
import { slugFromFileName, Slugger } from "./slug";
import { splitCommands } from "./split-commands";
import { isFenced, type MarkdownTree, parseMarkdown } from "./tree";

/** A step before placeholder resolution (that needs the steps before it). */
export type DraftStep = Omit<Step, "commands" | "placeholders" | "captures" | "kind"> & { commands: AnalyzedCommand[] };

export type Derived = {
  title: string | null;
  metadata: RunbookMetadata;
  sections: Section[];
  steps: DraftStep[];
  checklists: Checklist[];
  tables: Table[];
  links: Link[];
  templates: Template[];
  warnings: string[];
  /** Link hrefs by line, for validation log report links. */
  linksByLine: Map<number, string>;
};

const SHELL_LANGS = new Set(["bash", "sh", "shell", "zsh", "ksh", "console", "shell-session", "shellsession"]);
const MARKDOWN_LANGS = new Set(["markdown", "md", "mdx"]);
const METADATA_KEYS: Record<string, keyof Omit<RunbookMetadata, "other">> = {
  scenario: "scenario",
  severity: "severity",
  owner: "owner",
  lastUpdated: "lastUpdated",
  lastValidated: "lastValidated",
};
const FILE_REF = /^[\w./-]+\.(md|markdown)$/i;

function camelKey(key: string): string {
  const words = key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
}

/** `**Key:** value` lines of one paragraph (soft line breaks separate the lines). */
export function metadataLines(paragraph: Paragraph): Array<{ key: string; value: string }> {
  const lines: PhrasingContent[][] = [[]];
  for (const child of paragraph.children) {
    if (child.type === "break") {
      lines.push([]);
    } else if (child.type === "text" && child.value.includes("\n")) {
      const parts = child.value.split("\n");
      parts.forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part) lines[lines.length - 1].push({ type: "text", value: part });
      });
    } else {
      lines[lines.length - 1].push(child);
    }
  }
  const out: Array<{ key: string; value: string }> = [];
  for (const line of lines) {
    const [first, ...rest] = line;
    if (!first || first.type !== "strong") continue;
    let key = toString(first).trim();
    let value = rest.map((n) => toString(n)).join("");
    if (key.endsWith(":")) key = key.slice(0, -1).trim();
    else if (value.trimStart().startsWith(":")) value = value.trimStart().slice(1);
    else continue;
    value = value.trim();
    if (key && value) out.push({ key, value });
  }
  return out;
}

function linkKind(href: string): LinkKind {
  if (href.startsWith("#")) return "anchor";
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return "external";
  const path = href.replace(/[?#].*$/, "");
  if (!/\.(md|markdown)$/i.test(path)) return "document";
  return path.startsWith("../") || path.startsWith("/") ? "document" : "runbook";
}

type ItemInfo = { node: ListItem; text: string; checked: boolean | null; stepIds: string[] };

class Walker {
  readonly lines: string[];
  readonly sectionsRoot: Section[] = [];
  readonly stack: Section[] = [];
  readonly slugger = new Slugger();
  readonly steps: DraftStep[] = [];
  readonly checklists: Checklist[] = [];
  readonly tables: Table[] = [];
  readonly links: Link[] = [];
  readonly warnings: string[] = [];
  readonly linksByLine = new Map<number, string>();
  readonly metadata: RunbookMetadata = { other: {} };
  readonly perSectionCount = new Map<string, number>();
  readonly itemSteps = new Map<ListItem, string[]>();
  title: string | null = null;
  prose: string[] = [];
  items: ItemInfo[] = [];
  checklistDepth = 0;
  private tableCount = 0;
  private checklistCount = 0;

  /** Link reference definitions (`[ref]: url`), which may come after their use. */
  readonly definitions = new Map<string, string>();

  constructor(readonly tree: MarkdownTree) {
    this.lines = tree.lines;
    for (const node of tree.root.children) if (node.type === "definition") this.definitions.set(node.identifier, node.url);
  }

  get section(): Section | null {
    return this.stack[this.stack.length - 1] ?? null;
  }

  get sectionPath(): string[] {
    return this.stack.map((s) => s.title);
  }

  walk(nodes: RootContent[], topLevel: boolean): void {
    for (const node of nodes) this.block(node, topLevel);
  }

  block(node: RootContent, topLevel: boolean): void {
    switch (node.type) {
      case "heading":
        return this.heading(node, topLevel);
      case "paragraph":
        return this.paragraph(node, topLevel);
      case "code":
        return this.code(node);
      case "list":
        return this.list(node);
      case "table":
        return this.table(node);
      case "blockquote":
        this.walk(node.children, false);
        return;
      case "thematicBreak":
        return;
      default:
        return;
    }
  }

  heading(node: Heading, topLevel: boolean): void {
    const text = toString(node).trim();
    this.collectLinks(node);
    if (this.title === null && node.depth === 1 && this.sectionsRoot.length === 0 && topLevel) {
      this.title = text;
      this.prose = [];
      return;
    }
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].depth >= node.depth) this.stack.pop();
    const section: Section = {
      id: this.slugger.slug(text),
      title: text,
      depth: node.depth,
      startLine: node.position?.start.line ?? 0,
      endLine: 0,
      children: [],
    };
    (this.section?.children ?? this.sectionsRoot).push(section);
    this.stack.push(section);
    this.prose = [];
  }

  paragraph(node: Paragraph, topLevel: boolean): void {
    if (topLevel && this.stack.length === 0) {
      for (const { key, value } of metadataLines(node)) {
        const camel = camelKey(key);
        const known = METADATA_KEYS[camel];
        if (known) this.metadata[known] = value;
        else this.metadata.other[camel] = value;
      }
    }
    this.collectLinks(node);
    const item = this.items[this.items.length - 1];
    const significant = node.children.filter((c) => !(c.type === "text" && c.value.trim() === ""));
    if (item && significant.length === 1 && significant[0].type === "inlineCode" && looksLikeCommand(significant[0].value)) {
      this.inlineStep(significant[0].value, node, item);
      return;
    }
    const text = toString(node).trim();
    if (text) this.prose.push(text);
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

  inlineStep(source: string, node: Paragraph, item: ItemInfo): void {
    const line = node.position?.start.line ?? 0;
    const { id, ordinal } = this.nextStepId();
    const parent = this.items.length >= 2 ? this.items[this.items.length - 2] : null;
    const titleItem = parent ?? item;
    const title = titleItem.text.replace(/[:\s]+$/, "") || this.section?.title || this.title || "Step";
    this.steps.push({
      id,
      ordinal,
      sectionId: this.section?.id ?? null,
      sectionPath: this.sectionPath,
      title,
      description: titleItem.text,
      origin: "inline",
      language: null,
      source,
      startLine: line,
      endLine: line,
      commands: [analyzeCommand({ source, group: 1 }, 1, { start: line, end: line })],
    });
    this.recordItemStep(id);
  }

  code(node: Code): void {
    const lang = (node.lang ?? "").toLowerCase() || null;
    if (!node.position || !isFenced(node, this.lines)) return;
    if (lang && MARKDOWN_LANGS.has(lang)) return;
    const shellish = lang === null ? this.bareFenceIsShell(node.value) : SHELL_LANGS.has(lang);
    if (!shellish) {
      this.prose = [];
      return;
    }
    const contentStart = node.position.start.line + 1;
    const raw = splitCommands(node.value, lang);
    if (raw.length === 0) {
      this.warnings.push(`Line ${node.position.start.line}: the ${lang ?? "code"} block has no commands (only comments), so it is not a step.`);
      return;
    }
    const commands = raw.map((r, i) =>
      analyzeCommand(r, i + 1, { start: contentStart + r.startOffset, end: contentStart + r.endOffset }),
    );
    const { id, ordinal } = this.nextStepId();
    const item = this.items[this.items.length - 1];
    const leadIn = this.prose[this.prose.length - 1];
    const title =
      (leadIn && leadIn.length <= 80 && leadIn.endsWith(":") ? leadIn.replace(/[:\s]+$/, "") : null) ??
      (item ? item.text.replace(/[:\s]+$/, "") : null) ??
      this.section?.title ??
      this.title ??
      "Step";
    const comments = [...new Set(commands.map((c) => c.comment).filter((c): c is string => !!c))];
    const description = [...this.prose, ...(item && !this.prose.includes(item.text) ? [item.text] : []), ...comments]
      .filter(Boolean)
      .join("\n\n");
    this.steps.push({
      id,
      ordinal,
      sectionId: this.section?.id ?? null,
      sectionPath: this.sectionPath,
      title,
      description,
      origin: "fence",
      language: lang,
      source: node.value,
      startLine: node.position.start.line,
      endLine: node.position.end.line,
      commands,
    });
    this.recordItemStep(id);
    this.prose = [];
  }

  private bareFenceIsShell(value: string): boolean {
    return value.split("\n").some((line) => looksLikeCommand(line.replace(/\\$/, "")));
  }

  list(node: List): void {
    const infos: ItemInfo[] = [];
    const isIndex = node.children.length > 0 && node.children.every((item) => this.indexEntry(item) !== null);
    const isChecklist = !isIndex && (node.ordered === true || node.children.some((i) => typeof i.checked === "boolean"));
    const leadIn = this.prose[this.prose.length - 1];
    if (isChecklist) this.checklistDepth += 1;
    for (const item of node.children) {
      const first = item.children.find((c) => c.type === "paragraph");
      const info: ItemInfo = { node: item, text: first ? toString(first).trim() : "", checked: typeof item.checked === "boolean" ? item.checked : null, stepIds: [] };
      infos.push(info);
      const entry = isIndex ? this.indexEntry(item) : null;
      if (entry) {
        this.links.push(entry);
        continue;
      }
      this.items.push(info);
      this.walk(item.children, false);
      this.items.pop();
      this.itemSteps.set(item, info.stepIds);
    }
    if (isChecklist) this.checklistDepth -= 1;
    if (isChecklist && this.checklistDepth === 0) {
      this.checklistCount += 1;
      const kind = node.children.some((i) => typeof i.checked === "boolean") ? "task" : "ordered";
      const checklist: Checklist = {
        id: `${this.section?.id ?? "top"}-checklist-${this.checklistCount}`,
        sectionId: this.section?.id ?? null,
        sectionPath: this.sectionPath,
        title: this.section?.title ?? this.title ?? "Checklist",
        ...(leadIn ? { leadIn } : {}),
        kind,
        startLine: node.position?.start.line ?? 0,
        items: node.children.map((item) => this.checklistItem(item)),
      };
      this.checklists.push(checklist);
    }
    const texts = infos.map((i) => i.text).filter(Boolean);
    if (texts.length > 0) this.prose.push(texts.join("\n"));
  }

  private checklistItem(item: ListItem): ChecklistItem {
    const first = item.children.find((c) => c.type === "paragraph");
    const stepIds = this.itemSteps.get(item) ?? [];
    const children: ChecklistItem[] = [];
    for (const child of item.children) if (child.type === "list") for (const sub of child.children) children.push(this.checklistItem(sub));
    return {
      text: first ? toString(first).trim() : "",
      checked: typeof item.checked === "boolean" ? item.checked : null,
      manual: stepIds.length === 0,
      line: item.position?.start.line ?? 0,
      stepIds,
      children,
    };
  }

  /** `- [ ] **incident_response.md** — …` or `- [ ] [Title](file.md) — …` in a task list. */
  private indexEntry(item: ListItem): Link | null {
    if (typeof item.checked !== "boolean") return null;
    const first = item.children[0];
    if (!first || first.type !== "paragraph") return null;
    const [lead, ...rest] = first.children.filter((c) => !(c.type === "text" && c.value.trim() === ""));
    if (!lead) return null;
    let href: string | null = null;
    let text = "";
    if (lead.type === "link") {
      href = lead.url;
      text = toString(lead).trim();
    } else if (lead.type === "strong" || lead.type === "emphasis" || lead.type === "inlineCode") {
      text = toString(lead).trim();
      if (FILE_REF.test(text)) href = text;
    }
    if (!href) return null;
    const kind = linkKind(href);
    const description = rest
      .map((n) => toString(n))
      .join("")
      .replace(/^[\s—–:-]+/, "")
      .trim();
    return this.makeLink(text, href, kind, item.checked, item.position?.start.line ?? 0, description);
  }

  private makeLink(text: string, href: string, kind: LinkKind, checked: boolean | null, line: number, description?: string): Link {
    const sectionTitle = this.section?.title ?? null;
    return {
      text,
      href,
      kind,
      targetSlug: kind === "runbook" ? slugFromFileName(href) : null,
      category: sectionTitle,
      sectionId: this.section?.id ?? null,
      ...(description ? { description } : {}),
      checked,
      pending: kind === "runbook",
      line,
    };
  }

  collectLinks(node: Nodes): void {
    const visit = (n: Nodes) => {
      const url = n.type === "link" ? (n as MdLink).url : n.type === "linkReference" ? this.definitions.get(n.identifier) : undefined;
      if (url !== undefined) {
        const line = n.position?.start.line ?? 0;
        const item = this.items[this.items.length - 1];
        this.links.push(this.makeLink(toString(n).trim(), url, linkKind(url), item ? item.checked : null, line));
        if (!this.linksByLine.has(line)) this.linksByLine.set(line, url);
        return;
      }
      if ("children" in n) for (const c of n.children) visit(c as Nodes);
    };
    visit(node);
  }

  table(node: MdTable): void {
    const [head, ...body] = node.children;
    if (!head) return;
    this.collectLinks(node);
    const headers = head.children.map((cell) => toString(cell).trim());
    const rows = body.map((row) => {
      const record: Record<string, string> = {};
      headers.forEach((h, i) => {
        const cell = row.children[i];
        record[h || `column${i + 1}`] = cell ? toString(cell).trim() : "";
      });
      return record;
    });
    this.tableCount += 1;
    this.tables.push({
      id: `${this.section?.id ?? "top"}-table-${this.tableCount}`,
      sectionId: this.section?.id ?? null,
      sectionPath: this.sectionPath,
      headers,
      rows,
      startLine: node.position?.start.line ?? 0,
      endLine: node.position?.end.line ?? 0,
    });
    this.prose = [];
  }
}

/** Number of the last line; a final line break does not start another line. */
export function lastLine(lines: string[]): number {
  return lines.length > 1 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
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
  flat.forEach((s, i) => {
    const next = flat.slice(i + 1).find((o) => o.depth <= s.depth);
    s.endLine = next ? next.startLine - 1 : lastLine;
  });
}

export function sectionAt(sections: Section[], line: number): Section | null {
  let found: Section | null = null;
  const search = (list: Section[]) => {
    for (const s of list) {
      if (line >= s.startLine && line <= s.endLine) {
        found = s;
        search(s.children);
        return;
      }
    }
  };
  search(sections);
  return found;
}

function describeTemplate(content: string): Pick<Template, "metadata" | "metadataKeys" | "sectionTitles"> {
  const inner = derive(parseMarkdown(content));
  const sectionTitles: string[] = [];
  const collect = (list: Section[]) => {
    for (const s of list) {
      sectionTitles.push(s.title);
      collect(s.children);
    }
  };
  collect(inner.sections);
  const metadataKeys: string[] = [];
  for (const node of parseMarkdown(content).root.children) {
    if (node.type === "heading" && node.depth >= 2) break;
    if (node.type === "paragraph") for (const { key } of metadataLines(node)) metadataKeys.push(key);
  }
  return { metadata: inner.metadata, metadataKeys, sectionTitles };
}

export function derive(tree: MarkdownTree): Derived {
  const walker = new Walker(tree);
  walker.walk((tree.root as Root).children, true);
  setEndLines(walker.sectionsRoot, lastLine(tree.lines));
  for (const line of tree.unterminatedFences) {
    walker.warnings.push(`Line ${line}: code fence is never closed; the rest of its block is read as code.`);
  }
  const templates: Template[] = tree.templates.map((t) => ({
    language: t.language,
    content: t.content,
    startLine: t.startLine,
    endLine: t.endLine,
    sectionId: sectionAt(walker.sectionsRoot, t.startLine)?.id ?? null,
    ...describeTemplate(t.content),
  }));
  return {
    title: walker.title,
    metadata: walker.metadata,
    sections: walker.sectionsRoot,
    steps: walker.steps,
    checklists: walker.checklists,
    tables: walker.tables,
    links: walker.links,
    templates,
    warnings: walker.warnings,
    linksByLine: walker.linksByLine,
  };
}
