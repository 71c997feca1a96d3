import type { Capture, Checklist, ChecklistItem, ParsedRunbook, Placeholder, Section, Step, StepCommand, StepKind, Table } from "./model";

// The structure as stored with a revision: what pages, drills and runs need, without the
// repetition of the full form (defaults, per-step copies of input definitions, captures listed
// twice). `toStored` on write, `fromStored` on read give back exactly the parser's ParsedRunbook.

type StoredCommand = Partial<StepCommand>;
type StoredPlaceholder = Pick<Placeholder, "name" | "forms"> & Partial<Pick<Placeholder, "providedBy" | "assignedTo">>;
type StoredStep = Omit<Step, "commands" | "placeholders" | "captures" | "description" | "sectionPath" | "language" | "endLine" | "ordinal" | "origin" | "kind"> &
  Partial<Pick<Step, "description" | "sectionPath" | "language" | "endLine" | "ordinal" | "origin" | "kind">> & { commands: StoredCommand[]; placeholders?: StoredPlaceholder[] };
type StoredItem = Pick<ChecklistItem, "text" | "line"> & Partial<Omit<ChecklistItem, "children">> & { children?: StoredItem[] };
type StoredChecklist = Omit<Checklist, "sectionPath" | "items"> & { sectionPath?: string[]; items: StoredItem[] };
/** `cells`: the rows as arrays in header order, when every row's keys are exactly the headers. */
type StoredTable = Omit<Table, "sectionPath" | "rows"> & { sectionPath?: string[]; rows?: Table["rows"]; cells?: string[][] };
export type StoredRunbook = Omit<ParsedRunbook, "steps" | "checklists" | "tables"> & { steps: StoredStep[]; checklists: StoredChecklist[]; tables: StoredTable[]; stored: 2 | 3 };

// Version 3 leaves out what the rest of the record gives back: ordinals that count from 1, a step's
// origin (from how it was found) and kind (from its commands), a sole command's text and line when
// they are the step's, `shell` kinds, section paths (from the section tree), empty lists and
// defaults of checklist items, and table header names repeated in every row. Version 2 records
// carry all of these and read the same way.

const DEFAULT_EXPECTATION = { exit: "success", source: "default" } as const;

function originOf(foundBy: Step["foundBy"]): Step["origin"] | undefined {
  return foundBy === "list-item" || foundBy === "prose" || foundBy === "plain-text" ? "inline" : foundBy === "shell-fence" || foundBy === "bare-fence" ? "fence" : undefined;
}

export function kindOfCommands(commands: Pick<StepCommand, "kind">[]): StepKind {
  if (commands.length === 0) return "manual";
  const first = commands[0].kind;
  return commands.every((c) => c.kind === first) ? (first as StepKind) : "mixed";
}

function compactCommand(c: StepCommand, index: number, step: Step): StoredCommand {
  const out: StoredCommand = {};
  if (c.ordinal !== index + 1) out.ordinal = c.ordinal;
  if (!(step.commands.length === 1 && c.source === step.source)) out.source = c.source;
  if (c.startLine !== step.startLine) out.startLine = c.startLine;
  if (c.kind !== "shell") out.kind = c.kind;
  if (c.endLine !== c.startLine) out.endLine = c.endLine;
  if (c.group !== 1) out.group = c.group;
  if (c.comment) out.comment = c.comment;
  if (c.http) out.http = c.http;
  if (hasKeys(c.env)) out.env = c.env;
  if (c.expectation.exit !== "success" || c.expectation.source !== "default") out.expectation = c.expectation;
  if (c.assertions.length) out.assertions = c.assertions;
  if (c.captures.length) out.captures = c.captures;
  if (c.assigns.length) out.assigns = c.assigns;
  if (c.placeholders.length) out.placeholders = c.placeholders;
  if (c.unreadable) out.unreadable = c.unreadable;
  return out;
}

function hasKeys(record: Record<string, unknown>): boolean {
  for (const _ in record) return true;
  return false;
}

function expandCommand(c: StoredCommand, index: number, step: StoredStep): StepCommand {
  const startLine = c.startLine ?? step.startLine;
  return {
    ordinal: c.ordinal ?? index + 1,
    source: c.source ?? step.source,
    startLine,
    endLine: c.endLine ?? startLine,
    group: c.group ?? 1,
    ...(c.comment ? { comment: c.comment } : {}),
    kind: c.kind ?? "shell",
    ...(c.http ? { http: c.http } : {}),
    env: c.env ?? {},
    expectation: c.expectation ?? { ...DEFAULT_EXPECTATION },
    assertions: c.assertions ?? [],
    captures: c.captures ?? [],
    assigns: c.assigns ?? [],
    placeholders: c.placeholders ?? [],
    ...(c.unreadable ? { unreadable: c.unreadable } : {}),
  };
}

function samePath(a: string[], b: string[] | undefined): boolean {
  return !!b && a.length === b.length && a.every((t, i) => t === b[i]);
}

function compactItem(item: ChecklistItem): StoredItem {
  const out: StoredItem = { text: item.text, line: item.line };
  if (item.checked !== null) out.checked = item.checked;
  if (item.manual !== (item.stepIds.length === 0)) out.manual = item.manual;
  if (item.stepIds.length) out.stepIds = item.stepIds;
  if (item.children.length) out.children = item.children.map(compactItem);
  return out;
}

function expandItem(item: StoredItem): ChecklistItem {
  const stepIds = item.stepIds ?? [];
  return { text: item.text, checked: item.checked ?? null, manual: item.manual ?? stepIds.length === 0, line: item.line, stepIds, children: (item.children ?? []).map(expandItem) };
}

/** The keys a table's rows have when no header repeats (see `table` in derive.ts). */
function rowKeys(headers: string[]): string[] {
  return headers.map((h, n) => h || `column${n + 1}`);
}

function compactTable(table: Table, path: string[] | undefined): StoredTable {
  const { sectionPath, rows } = table;
  const keys = rowKeys(table.headers);
  const fits = new Set(keys).size === keys.length && rows.every((r) => samePath(keys, Object.keys(r)));
  const out: StoredTable = { id: table.id, sectionId: table.sectionId, headers: table.headers, startLine: table.startLine, endLine: table.endLine };
  if (!samePath(sectionPath, path)) out.sectionPath = sectionPath;
  if (fits) out.cells = rows.map((r) => keys.map((k) => r[k]));
  else out.rows = rows;
  return out;
}

function expandTable(table: StoredTable, path: string[]): Table {
  const { cells, rows, sectionPath, ...rest } = table;
  const keys = rowKeys(table.headers);
  return {
    ...rest,
    sectionPath: sectionPath ?? path,
    rows: rows ?? (cells ?? []).map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i]]))),
  };
}

/** Section id → titles from the top-level section down to it. */
function sectionPathsOf(sections: Section[]): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const walk = (list: Section[], trail: string[]) => {
    for (const s of list) {
      const path = [...trail, s.title];
      paths.set(s.id, path);
      walk(s.children, path);
    }
  };
  walk(sections, []);
  return paths;
}

function pathOf(paths: Map<string, string[]>, sectionId: string | null): string[] {
  return sectionId ? (paths.get(sectionId) ?? []) : [];
}

// The compact forms are built field by field rather than by rest and spread copies (slow for
// thousands of steps); the fields keep the order the copies gave, so the stored JSON is unchanged.

function compactStep(s: Step, index: number, paths: Map<string, string[]>): StoredStep {
  const out = { id: s.id, sectionId: s.sectionId, title: s.title } as StoredStep;
  if (s.foundBy !== undefined) out.foundBy = s.foundBy;
  out.source = s.source;
  out.startLine = s.startLine;
  if (!samePath(s.sectionPath, pathOf(paths, s.sectionId))) out.sectionPath = s.sectionPath;
  if (s.ordinal !== index + 1) out.ordinal = s.ordinal;
  if (s.origin !== originOf(s.foundBy)) out.origin = s.origin;
  if (s.kind !== kindOfCommands(s.commands)) out.kind = s.kind;
  if (s.description !== s.title) out.description = s.description;
  if (s.language) out.language = s.language;
  if (s.endLine !== s.startLine) out.endLine = s.endLine;
  if (s.runnable === false) out.runnable = s.runnable;
  out.commands = s.commands.map((c, i) => compactCommand(c, i, s));
  if (s.placeholders.length) out.placeholders = s.placeholders.map(compactPlaceholder);
  return out;
}

function compactPlaceholder(p: Placeholder): StoredPlaceholder {
  const out: StoredPlaceholder = { name: p.name, forms: p.forms };
  if (p.providedBy) out.providedBy = p.providedBy;
  if (p.assignedTo.length) out.assignedTo = p.assignedTo;
  return out;
}

function compactChecklist(c: Checklist, paths: Map<string, string[]>): StoredChecklist {
  const out = { id: c.id, sectionId: c.sectionId, title: c.title } as StoredChecklist;
  if (c.leadIn !== undefined) out.leadIn = c.leadIn;
  out.kind = c.kind;
  out.startLine = c.startLine;
  if (!samePath(c.sectionPath, pathOf(paths, c.sectionId))) out.sectionPath = c.sectionPath;
  out.items = c.items.map(compactItem);
  return out;
}

export function toStored(parsed: ParsedRunbook): StoredRunbook {
  const paths = sectionPathsOf(parsed.sections);
  const steps = parsed.steps.map((s, index) => compactStep(s, index, paths));
  const checklists = parsed.checklists.map((c) => compactChecklist(c, paths));
  const tables = parsed.tables.map((t) => compactTable(t, pathOf(paths, t.sectionId)));
  return { ...parsed, steps, checklists, tables, stored: 3 };
}

/** The stored JSON of a revision as the parser's ParsedRunbook (revisions stored in full read as they are). */
export function fromStored(json: unknown): ParsedRunbook {
  const data = json as StoredRunbook | ParsedRunbook;
  if (!("stored" in data)) return data as ParsedRunbook;
  const { stored: _version, steps, checklists, tables, ...rest } = data;
  const definitions = new Map(rest.placeholders.map((p) => [p.name, p]));
  const paths = sectionPathsOf(rest.sections);
  return {
    ...rest,
    steps: steps.map((s, index): Step => {
      const commands = s.commands.map((c, i) => expandCommand(c, i, s));
      const captures: Capture[] = commands.flatMap((c) => c.captures);
      const placeholders: Placeholder[] = (s.placeholders ?? []).map((p) => {
        const def = definitions.get(p.name);
        return {
          name: p.name,
          forms: p.forms,
          type: def?.type ?? "string",
          pattern: def?.pattern ?? "^[A-Za-z0-9._:/-]{1,128}$",
          description: def?.description ?? `Value for ${p.name}`,
          ...(p.providedBy ? { providedBy: p.providedBy } : {}),
          assignedTo: p.assignedTo ?? [],
        };
      });
      return {
        ...s,
        ordinal: s.ordinal ?? index + 1,
        origin: s.origin ?? originOf(s.foundBy) ?? "fence",
        kind: s.kind ?? kindOfCommands(commands),
        sectionPath: s.sectionPath ?? pathOf(paths, s.sectionId),
        description: s.description ?? s.title,
        language: s.language ?? null,
        endLine: s.endLine ?? s.startLine,
        commands,
        placeholders,
        captures,
        runnable: s.runnable ?? true,
      };
    }),
    checklists: checklists.map(({ sectionPath, items, ...c }) => ({ ...c, sectionPath: sectionPath ?? pathOf(paths, c.sectionId), items: items.map(expandItem) })),
    tables: tables.map((t) => expandTable(t, pathOf(paths, t.sectionId))),
  };
}
