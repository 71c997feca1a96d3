import type { Capture, ParsedRunbook, Placeholder, Step, StepCommand } from "./model";

// The structure as stored with a revision: what pages, drills and runs need, without the
// repetition of the full form (defaults, per-step copies of input definitions, captures listed
// twice). `toStored` on write, `fromStored` on read give back exactly the parser's ParsedRunbook.

type StoredCommand = Partial<StepCommand> & Pick<StepCommand, "ordinal" | "source" | "startLine" | "kind">;
type StoredPlaceholder = Pick<Placeholder, "name" | "forms"> & Partial<Pick<Placeholder, "providedBy" | "assignedTo">>;
type StoredStep = Omit<Step, "commands" | "placeholders" | "captures" | "description" | "sectionPath" | "language" | "endLine"> &
  Partial<Pick<Step, "description" | "language" | "endLine">> & { commands: StoredCommand[]; placeholders?: StoredPlaceholder[] };
export type StoredRunbook = Omit<ParsedRunbook, "steps"> & { steps: StoredStep[]; stored: 2 };

const DEFAULT_EXPECTATION = { exit: "success", source: "default" } as const;

function compactCommand(c: StepCommand): StoredCommand {
  const out: StoredCommand = { ordinal: c.ordinal, source: c.source, startLine: c.startLine, kind: c.kind };
  if (c.endLine !== c.startLine) out.endLine = c.endLine;
  if (c.group !== 1) out.group = c.group;
  if (c.comment) out.comment = c.comment;
  if (c.http) out.http = c.http;
  if (Object.keys(c.env).length) out.env = c.env;
  if (c.expectation.exit !== "success" || c.expectation.source !== "default") out.expectation = c.expectation;
  if (c.assertions.length) out.assertions = c.assertions;
  if (c.captures.length) out.captures = c.captures;
  if (c.assigns.length) out.assigns = c.assigns;
  if (c.placeholders.length) out.placeholders = c.placeholders;
  if (c.unreadable) out.unreadable = c.unreadable;
  return out;
}

function expandCommand(c: StoredCommand): StepCommand {
  return {
    ordinal: c.ordinal,
    source: c.source,
    startLine: c.startLine,
    endLine: c.endLine ?? c.startLine,
    group: c.group ?? 1,
    ...(c.comment ? { comment: c.comment } : {}),
    kind: c.kind,
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

export function toStored(parsed: ParsedRunbook): StoredRunbook {
  const steps = parsed.steps.map((s): StoredStep => {
    const { commands, placeholders, captures: _captures, description, sectionPath: _path, language, endLine, runnable, ...rest } = s;
    return {
      ...rest,
      ...(description !== s.title ? { description } : {}),
      ...(language ? { language } : {}),
      ...(endLine !== s.startLine ? { endLine } : {}),
      ...(runnable === false ? { runnable } : {}),
      commands: commands.map(compactCommand),
      ...(placeholders.length
        ? { placeholders: placeholders.map((p) => ({ name: p.name, forms: p.forms, ...(p.providedBy ? { providedBy: p.providedBy } : {}), ...(p.assignedTo.length ? { assignedTo: p.assignedTo } : {}) })) }
        : {}),
    };
  });
  return { ...parsed, steps, stored: 2 };
}

/** The stored JSON of a revision as the parser's ParsedRunbook (revisions stored in full read as they are). */
export function fromStored(json: unknown): ParsedRunbook {
  const data = json as StoredRunbook | ParsedRunbook;
  if (!("stored" in data)) return data as ParsedRunbook;
  const { stored: _version, steps, ...rest } = data;
  const definitions = new Map(rest.placeholders.map((p) => [p.name, p]));
  const sectionPaths = new Map<string, string[]>();
  const walk = (list: ParsedRunbook["sections"], trail: string[]) => {
    for (const s of list) {
      sectionPaths.set(s.id, [...trail, s.title]);
      walk(s.children, [...trail, s.title]);
    }
  };
  walk(rest.sections, []);
  return {
    ...rest,
    steps: steps.map((s): Step => {
      const commands = s.commands.map(expandCommand);
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
        sectionPath: s.sectionId ? (sectionPaths.get(s.sectionId) ?? []) : [],
        description: s.description ?? s.title,
        language: s.language ?? null,
        endLine: s.endLine ?? s.startLine,
        commands,
        placeholders,
        captures,
        runnable: s.runnable ?? true,
      };
    }),
  };
}
