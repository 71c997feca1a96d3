import { runbookMarkdownIt } from "./markdown";
import type { AnalyzedCommand } from "./analyze-command";
import { type Derived, type DraftStep, derive, metadataLines } from "./derive";
import { buildDocument } from "./document";
import { MAX_LINE_CHARS, MAX_RUNBOOK_BYTES, RunbookParseError } from "./errors";
import { alertNameFromFile, alertNameFromHeading, type FrontMatter, readFrontMatter } from "./front-matter";
import type { Capture, ParsedRunbook, ParseOptions, Placeholder, PlaceholderProvider, RunbookDocument, RunbookMetadata, Section, Step, StepCommand, Template } from "./model";
import { describePlaceholder, type PlaceholderContext, SHELL_ENV_NAMES } from "./placeholders";
import { normalizeInputName } from "./shell-scan";
import { slugFromFileName, slugify } from "./slug";
import { isSurfaceTable, isValidationLogTable, surfacesFromTable, validationRowsFromTable } from "./tables";
import { prepareSource } from "./source";
import { kindOfCommands } from "./stored";

// Control characters other than tab, line feed, vertical tab, form feed and carriage return.
const CONTROL_CHAR = /[\u0001-\u0008\u000e-\u001f\u007f]/g;

const NON_ASCII = /[^\x00-\x7f]/;

function utf8Length(text: string): number {
  // Up to the first non-ASCII unit one byte each, found by one native scan (most runbooks are all ASCII).
  const firstNonAscii = text.search(NON_ASCII);
  if (firstNonAscii === -1) return text.length;
  let bytes = firstNonAscii;
  for (let i = firstNonAscii; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

export const MAX_NESTING = 64;

const TAB = 9;
const SPACE = 32;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** Container markers (`>`, `-`, `*`, `+`, `1.`) opening the line text[start, end); the markdown parser slows down quadratically with them. */
function lineNesting(text: string, start: number, end: number): number {
  let depth = 0;
  let i = start;
  while (i < end) {
    const ch = text.charCodeAt(i);
    if (isBlank(ch)) {
      i += 1;
    } else if (ch === 62 /* > */) {
      depth += 1;
      i += 1;
    } else if ((ch === 45 /* - */ || ch === 42 /* * */ || ch === 43 /* + */) && i + 1 < end && isBlank(text.charCodeAt(i + 1))) {
      depth += 1;
      i += 2;
    } else {
      let j = i;
      while (j < end && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j += 1;
      const after = j < end ? text.charCodeAt(j) : -1;
      if (j > i && (after === 46 /* . */ || after === 41 /* ) */) && j + 1 < end && isBlank(text.charCodeAt(j + 1))) {
        depth += 1;
        i = j + 2;
      } else break;
    }
    if (depth > MAX_NESTING) return depth;
  }
  return depth;
}

/** Refuses what cannot be a runbook before any markdown parsing happens. */
export function checkRunbookText(markdown: string, fileName?: string): string {
  // Every UTF-8 byte is at least one UTF-16 unit, so the cheap length test is a safe first gate.
  if (markdown.length > MAX_RUNBOOK_BYTES || utf8Length(markdown) > MAX_RUNBOOK_BYTES) {
    throw new RunbookParseError(`file is larger than ${MAX_RUNBOOK_BYTES / (1024 * 1024)} MB; split it into several runbooks`, "too-large", fileName);
  }
  const text = markdown.startsWith("\uFEFF") ? markdown.slice(1) : markdown;
  if (text.includes("\u0000")) throw new RunbookParseError("file contains NUL bytes; it looks binary, not markdown", "binary", fileName);
  if (text.includes("\uFFFD")) throw new RunbookParseError("file is not valid UTF-8 text", "invalid-utf8", fileName);
  const controls = text.match(CONTROL_CHAR)?.length ?? 0;
  if (controls > 8) throw new RunbookParseError("file contains control characters; it looks binary, not markdown", "binary", fileName);
  if (text.trim() === "") throw new RunbookParseError("file is empty", "empty", fileName);
  // Line by line without splitting the text (a string per line is garbage for a large file).
  let lineNumber = 0;
  for (let start = 0; start <= text.length; ) {
    const feed = text.indexOf("\n", start);
    const end = feed === -1 ? text.length : feed;
    lineNumber += 1;
    const length = end - start;
    if (length > MAX_LINE_CHARS) {
      throw new RunbookParseError(`line ${lineNumber} is ${length.toLocaleString("en-US")} characters long; a runbook line may be at most ${MAX_LINE_CHARS.toLocaleString("en-US")}`, "line-too-long", fileName);
    }
    if (lineNesting(text, start, end) > MAX_NESTING) {
      throw new RunbookParseError(`line ${lineNumber} nests more than ${MAX_NESTING} quotes or lists; markdown that deep cannot be read`, "too-deep", fileName);
    }
    start = end + 1;
  }
  return text;
}

/** Decodes uploaded bytes strictly (invalid UTF-8 is an error, not replacement characters). */
export function decodeRunbookBytes(bytes: Uint8Array, fileName?: string): string {
  if (bytes.byteLength > MAX_RUNBOOK_BYTES) {
    throw new RunbookParseError(`file is larger than ${MAX_RUNBOOK_BYTES / (1024 * 1024)} MB; split it into several runbooks`, "too-large", fileName);
  }
  if (bytes.includes(0)) throw new RunbookParseError("file contains NUL bytes; it looks binary, not markdown", "binary", fileName);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new RunbookParseError("file is not valid UTF-8 text", "invalid-utf8", fileName);
  }
}

type Provided = PlaceholderProvider;

/** The command without its references, with its inputs' names; built field by field (an object rest copy is slow here). */
function stepCommand(c: AnalyzedCommand, placeholders: string[]): StepCommand {
  const out = { ordinal: c.ordinal, source: c.source, startLine: c.startLine, endLine: c.endLine, group: c.group } as StepCommand;
  if ("comment" in c) out.comment = c.comment;
  out.kind = c.kind;
  if ("http" in c) out.http = c.http;
  out.env = c.env;
  out.expectation = c.expectation;
  out.assertions = c.assertions;
  out.captures = c.captures;
  out.assigns = c.assigns;
  if ("unreadable" in c) out.unreadable = c.unreadable;
  out.placeholders = placeholders;
  return out;
}

/**
 * Turns references into named inputs. A variable assigned earlier in the same step (or by a loop
 * or `read` in the command itself) is not an input; one captured or assigned by an earlier step is
 * an input that step provides (loop and `read` variables are not carried to later steps).
 */
function resolveSteps(drafts: DraftStep[], ctx: PlaceholderContext): Step[] {
  const provided = new Map<string, Provided>();
  const words = freeTextWords(drafts);
  return drafts.map((draft) => {
    const assigned = new Set<string>();
    const placeholders = new Map<string, Placeholder>();
    const commands: StepCommand[] = draft.commands.map((command: AnalyzedCommand) => {
      const references = command.references;
      const names: string[] = [];
      for (const ref of references) {
        if (ref.kind === "var" && (assigned.has(ref.name) || command.locals.includes(ref.name) || SHELL_ENV_NAMES.has(ref.name))) continue;
        const name = normalizeInputName(ref.name);
        if (!name) continue;
        let placeholder = placeholders.get(name);
        if (!placeholder) {
          placeholder = newPlaceholder(name, describePlaceholder(name, ctx, words.get(name)), provided.get(name));
          placeholders.set(name, placeholder);
        }
        if (!placeholder.forms.includes(ref.text)) placeholder.forms.push(ref.text);
        if (!names.includes(name)) names.push(name);
      }
      for (const a of command.assigns) {
        for (const ref of references) {
          if (ref.kind !== "var" && a.value.includes(ref.text)) {
            const p = placeholders.get(normalizeInputName(ref.name));
            if (p && !p.assignedTo.includes(a.variable)) p.assignedTo.push(a.variable);
          }
        }
        assigned.add(a.variable);
      }
      for (const c of command.captures) assigned.add(c.variable);
      for (const variable of command.locals) assigned.add(variable);
      return stepCommand(command, names);
    });
    for (const command of commands) {
      for (const c of command.captures) provided.set(c.input, { stepId: draft.id, commandOrdinal: command.ordinal, variable: c.variable, via: "capture" });
      for (const a of command.assigns) {
        const input = normalizeInputName(a.variable);
        if (!provided.has(input) || provided.get(input)?.via === "assignment") {
          provided.set(input, { stepId: draft.id, commandOrdinal: command.ordinal, variable: a.variable, via: "assignment", value: a.value });
        }
      }
    }
    const captures: Capture[] = [];
    let runnable = true;
    for (const c of commands) {
      for (const capture of c.captures) captures.push(capture);
      if (c.unreadable) runnable = false;
    }
    // Field by field in the draft's order (the stored JSON follows it): a spread of the draft is slow here.
    return {
      id: draft.id,
      ordinal: draft.ordinal,
      sectionId: draft.sectionId,
      sectionPath: draft.sectionPath,
      title: draft.title,
      description: draft.description,
      origin: draft.origin,
      foundBy: draft.foundBy,
      language: draft.language,
      source: draft.source,
      startLine: draft.startLine,
      endLine: draft.endLine,
      commands,
      placeholders: [...placeholders.values()],
      captures,
      kind: kindOfCommands(commands),
      runnable,
    };
  });
}

/**
 * Free-text placeholders (`<router pod>`) by input name: the words describe the input. Taken over the
 * whole runbook so an input reads the same in every step (the stored form keeps one definition).
 */
function freeTextWords(drafts: DraftStep[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const draft of drafts) {
    for (const command of draft.commands) {
      for (const ref of command.references) {
        if (ref.kind !== "angle" || !ref.name.includes(" ")) continue;
        const name = normalizeInputName(ref.name);
        if (!out.has(name)) out.set(name, ref.name);
      }
    }
  }
  return out;
}

function newPlaceholder(name: string, described: Pick<Placeholder, "type" | "pattern" | "description">, providedBy: Provided | undefined): Placeholder {
  const { type, pattern, description } = described;
  return providedBy ? { name, forms: [], type, pattern, description, providedBy, assignedTo: [] } : { name, forms: [], type, pattern, description, assignedTo: [] };
}

function mergePlaceholders(steps: Step[]): Placeholder[] {
  const merged = new Map<string, Placeholder & { allProvided: boolean }>();
  for (const step of steps) {
    for (const p of step.placeholders) {
      const existing = merged.get(p.name);
      if (!existing) {
        merged.set(p.name, { ...p, forms: [...p.forms], assignedTo: [...p.assignedTo], allProvided: !!p.providedBy });
        continue;
      }
      for (const f of p.forms) if (!existing.forms.includes(f)) existing.forms.push(f);
      for (const v of p.assignedTo) if (!existing.assignedTo.includes(v)) existing.assignedTo.push(v);
      existing.allProvided &&= !!p.providedBy;
      existing.providedBy ??= p.providedBy;
    }
  }
  return [...merged.values()].map(({ allProvided, providedBy, ...p }) => ({ ...p, ...(allProvided && providedBy ? { providedBy } : {}) }));
}

function chooseSlug(title: string, fileName: string | undefined): string {
  if (fileName && /\.(md|markdown)$/i.test(fileName)) {
    const fromFile = slugFromFileName(fileName);
    if (fromFile) return fromFile;
  }
  return slugify(title) || (fileName ? slugFromFileName(fileName) : "") || "runbook";
}

/** Bumped when what the parser stores changes; revisions written by an older one are read again. */
export const PARSER_VERSION = 7;

export type AnalyzedRunbook = { parsed: ParsedRunbook; document: RunbookDocument | null };

/**
 * Reads a runbook: one markdown-it parse (linear in the text) gives the structure and, when
 * asked, the rendered document with its step slots. Throws RunbookParseError for unusable input.
 */
export function analyzeRunbook(markdown: string, options: ParseOptions & { document?: boolean } = {}): AnalyzedRunbook {
  const text = checkRunbookText(markdown, options.fileName);
  const source = prepareSource(text);
  const md = runbookMarkdownIt();
  let derived: Derived;
  let document: RunbookDocument | null = null;
  const lineCount = lastLine(source.lines);
  try {
    const tokens = md.parse(source.text, {});
    derived = derive(tokens, source.lines, lineCount, new Set(source.templates.map((t) => t.startLine)), source.unterminatedTemplates);
    if (options.document) document = buildDocument(md, tokens, derived.slots, (t) => t.content.replace(/\n$/, ""));
  } catch (error) {
    // Thousands of nested quotes or lists exhaust the stack in the markdown parser or our walk.
    if (error instanceof RangeError) throw new RunbookParseError("markdown is nested too deeply to read", "too-deep", options.fileName);
    throw error;
  }
  const warnings = [...derived.warnings];
  const front = source.frontMatter ? readFrontMatter(source.frontMatter.text, 1, source.frontMatter.format) : null;
  if (front?.warning) warnings.unshift(front.warning);
  let title = front?.title ?? derived.title;
  if (!title) {
    const base = options.fileName?.split(/[\\/]/).pop()?.replace(/\.[^.]+$/, "");
    title = base || "Untitled runbook";
    warnings.unshift(`No level-1 heading; the title "${title}" comes from the ${base ? "file name" : "default"}.`);
  }
  const metadata = mergeMetadata(derived.metadata, front, options.fileName, derived.title);
  const seedSlots = /\/api\/slots|--slot\s+preview-\d|preview-[1-3]\b/.test(text);
  const steps = resolveSteps(derived.steps, { seedSlots });
  const surfaces = derived.tables.filter(isSurfaceTable).flatMap((t) => surfacesFromTable(t));
  const validationLog = derived.tables
    .filter((t) => isValidationLogTable(t, t.sectionPath[t.sectionPath.length - 1] ?? null))
    .flatMap((t) => validationRowsFromTable(t, derived.linksByLine));
  const templates: Template[] = source.templates.map((t) => ({
    language: t.language,
    content: t.content,
    startLine: t.startLine,
    endLine: t.endLine,
    sectionId: sectionAt(derived.sections, t.startLine)?.id ?? null,
    ...describeTemplate(t.content),
  }));
  const parsed: ParsedRunbook = {
    title,
    slug: chooseSlug(title, options.fileName),
    ...(front?.summary ? { summary: front.summary } : {}),
    metadata,
    sections: derived.sections,
    steps,
    placeholders: mergePlaceholders(steps),
    checklists: derived.checklists,
    tables: derived.tables,
    references: derived.references,
    surfaces,
    links: derived.links,
    validationLog,
    templates,
    warnings,
    lineCount,
  };
  return { parsed, document };
}

/** Derives the runbook structure from its markdown. Throws RunbookParseError for unusable input. */
export function parseRunbook(markdown: string, options: ParseOptions = {}): ParsedRunbook {
  return analyzeRunbook(markdown, options).parsed;
}

function mergeMetadata(fromText: RunbookMetadata, front: FrontMatter | null, fileName: string | undefined, heading: string | null): RunbookMetadata {
  const named = [alertNameFromFile(fileName), alertNameFromHeading(heading, fileName)].filter((a): a is string => a !== null);
  const alerts = [...new Set([...(front?.metadata.alerts ?? []), ...named])];
  const fm = front?.metadata;
  return {
    ...fromText,
    ...(fm?.severity ? { severity: fm.severity } : {}),
    ...(fm?.owner ? { owner: fm.owner } : {}),
    ...(fm?.weight !== undefined ? { weight: fm.weight } : {}),
    aliases: fm?.aliases ?? [],
    alerts,
    tags: fm?.tags ?? [],
    other: { ...(fm?.other ?? {}), ...fromText.other },
  };
}

export function sectionAt(sections: Section[], line: number): Section | null {
  let found: Section | null = null;
  let list = sections;
  for (;;) {
    const hit = list.find((s) => line >= s.startLine && line <= s.endLine);
    if (!hit) return found;
    found = hit;
    list = hit.children;
  }
}

/** What a fenced markdown template declares: its header keys and section titles. */
function describeTemplate(content: string): Pick<Template, "metadata" | "metadataKeys" | "sectionTitles"> {
  const source = prepareSource(content);
  const tokens = runbookMarkdownIt().parse(source.text, {});
  const inner = derive(tokens, source.lines, lastLine(source.lines));
  const sectionTitles: string[] = [];
  const collect = (list: Section[]) => {
    for (const s of list) {
      sectionTitles.push(s.title);
      collect(s.children);
    }
  };
  collect(inner.sections);
  const metadataKeys: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    if (t.type === "heading_open" && t.tag !== "h1") break;
    if (t.type === "paragraph_open" && t.level === 0) for (const { key } of metadataLines(tokens[i + 1])) metadataKeys.push(key);
  }
  return { metadata: inner.metadata, metadataKeys, sectionTitles };
}

/** Number of the last line; a final line break does not start another line. */
export function lastLine(lines: string[]): number {
  return lines.length > 1 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
}
