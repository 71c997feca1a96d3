// The structure Sitrep derives from a runbook's markdown. Pure data: no database, no I/O.
// Line numbers are 1-based lines of the original markdown.

export type RunbookMetadata = {
  scenario?: string;
  severity?: string;
  owner?: string;
  lastUpdated?: string;
  lastValidated?: string;
  /** From YAML front matter: other names of the runbook. */
  aliases: string[];
  /** Alert names this runbook answers (front matter, or the file name when it looks like an alert). */
  alerts: string[];
  tags: string[];
  /** Ordering weight from front matter (Hugo style). */
  weight?: number;
  /** Any other `**Key:** value` line of the header, keyed by the key in lower camel case. */
  other: Record<string, string>;
};

/** Section names real runbook repositories share; pages and alerts link to them by kind. */
export type SectionKind = "meaning" | "impact" | "diagnosis" | "mitigation" | "verification" | "escalation";

export type Section = {
  /** Unique within the runbook, github-style heading slug ("1-readiness-baseline"). */
  id: string;
  title: string;
  /** Set when the heading is one of the well-known names (Meaning, Impact, Diagnosis…). */
  kind?: SectionKind;
  /** Heading depth 1–6. */
  depth: number;
  startLine: number;
  /** Last line before the next heading of the same or a higher level (or the end of the file). */
  endLine: number;
  children: Section[];
};

export type PlaceholderType = "run-id" | "slot-id" | "release-id" | "commit" | "string";

export type PlaceholderProvider = {
  stepId: string;
  commandOrdinal: number;
  /** Shell variable as written in the runbook ("RUN_ID"). */
  variable: string;
  /** "capture": taken from that command's output; "assignment": a plain `VAR=value` there. */
  via: "capture" | "assignment";
  /** The assigned text for `via: "assignment"`. */
  value?: string;
};

export type Placeholder = {
  /** Normalised lower snake case: `<run_id>`, `$RUN_ID` and `${RUN_ID}` are all `run_id`. */
  name: string;
  /** Every spelling seen in the source, e.g. ["<run_id>", "${RUN_ID}"]. */
  forms: string[];
  type: PlaceholderType;
  /** JavaScript regular expression source a value must match (anchored). */
  pattern: string;
  /** Short human description for the input field. */
  description: string;
  /** Set when an earlier step captures this variable, so a drill can fill it. */
  providedBy?: PlaceholderProvider;
  /** Shell variables this placeholder is assigned to inside the step (`COMMIT_OLD=<known_commit>`). */
  assignedTo: string[];
};

export type HttpApi = "control" | "runtime" | "surface";

export type JsonPath = Array<string | number>;

export type HttpPipe =
  | { kind: "json-format"; source: string }
  | { kind: "json-extract"; source: string; path: JsonPath };

export type HttpCall = {
  api: HttpApi;
  method: string;
  /** Full URL as written (placeholders kept). */
  url: string;
  host: string;
  port: number;
  /** Path and query string as written, placeholders kept ("/api/runs/${RUN_ID}/transition"). */
  path: string;
  headers: Record<string, string>;
  body?: { raw: string; json?: unknown };
  /** curl -f: an HTTP error status makes the command fail. */
  failOnHttpError: boolean;
  pipeTo?: HttpPipe;
};

export type Expectation = {
  exit: "success" | "failure";
  source: "default" | "comment";
  /** The comment text that set the expectation. */
  reason?: string;
};

export type Assertion =
  | {
      kind: "json-equals";
      /** Dotted path into the JSON response ("queue_reason"). */
      path: string;
      value: string | number | boolean;
      /** "4th should return …": the assertion applies to the 4th attempt. */
      attempt?: number;
      proposed: true;
      text: string;
    }
  | {
      kind: "output-contains";
      value: string;
      attempt?: number;
      proposed: true;
      text: string;
    };

export type Capture = {
  /** Shell variable as written ("RUN_ID"). */
  variable: string;
  /** Normalised input name it provides ("run_id"). */
  input: string;
  from: "json" | "stdout";
  /** For `from: "json"`: the path extracted from the output (["id"]). */
  path: JsonPath;
};

export type Assignment = { variable: string; value: string };

export type StepCommand = {
  /** 1-based within the step. */
  ordinal: number;
  /** Exact text of the command, continuation lines included. */
  source: string;
  startLine: number;
  endLine: number;
  /** Commands separated by a blank line or a comment line belong to different groups (1-based). */
  group: number;
  /** The comment lines leading this command's group, without `#`. */
  comment?: string;
  kind: "http" | "shell";
  http?: HttpCall;
  /** Environment prefix of the command (`DEPLOY_ROOT="$DEPLOY_ROOT" ./scripts/deploy.sh`). */
  env: Record<string, string>;
  expectation: Expectation;
  assertions: Assertion[];
  captures: Capture[];
  /** Plain shell assignments (`DEPLOY_ROOT=/tmp/x`). */
  assigns: Assignment[];
  /** Names (normalised) of the placeholders this command needs. */
  placeholders: string[];
  /** Why the shell text could not be read (the command is shown but cannot run). */
  unreadable?: string;
};

export type StepKind = "http" | "shell" | "manual" | "mixed";

/**
 * How the parser found a step: a fence labelled as shell, an unlabelled fence whose lines read as
 * commands, a list item that is only a command, a command written inside a sentence of a list item,
 * or a command written as plain text on a line of its own (no code formatting).
 */
export type StepFoundBy = "shell-fence" | "bare-fence" | "list-item" | "prose" | "plain-text";

export type Step = {
  /** Stable id: section id + ordinal within the section ("3-slot-exhaustion-and-recovery-1"). */
  id: string;
  /** 1-based over the whole runbook. */
  ordinal: number;
  sectionId: string | null;
  /** Titles from the top-level section down to the step's own section. */
  sectionPath: string[];
  /** Nearest heading, or the list item's text for inline commands. */
  title: string;
  /** Prose before the step (and the list item's text for inline commands). */
  description: string;
  origin: "fence" | "inline";
  /** Absent in revisions stored before it was recorded. */
  foundBy?: StepFoundBy;
  language: string | null;
  /** Exact text of the code (fence content, or the code span). */
  source: string;
  startLine: number;
  endLine: number;
  commands: StepCommand[];
  /** Inputs the step needs: union over its commands, minus variables assigned inside the step. */
  placeholders: Placeholder[];
  captures: Capture[];
  kind: StepKind;
  /** False when a command could not be read: the step is shown, with a warning, and cannot run (absent = runnable). */
  runnable?: boolean;
};

export type ChecklistItem = {
  text: string;
  /** Task list state; null for a plain numbered item. */
  checked: boolean | null;
  /** A person confirms it (it carries no command that became a step). */
  manual: boolean;
  line: number;
  /** Steps made from inline commands inside this item. */
  stepIds: string[];
  children: ChecklistItem[];
};

export type Checklist = {
  id: string;
  sectionId: string | null;
  sectionPath: string[];
  /** The section title, or the lead-in paragraph ("After mitigation:") when there is one. */
  title: string;
  leadIn?: string;
  kind: "task" | "ordered";
  startLine: number;
  items: ChecklistItem[];
};

export type Table = {
  id: string;
  sectionId: string | null;
  sectionPath: string[];
  headers: string[];
  /** Rows keyed by header text (cell text without markdown, e.g. inline code unwrapped). */
  rows: Array<Record<string, string>>;
  startLine: number;
  endLine: number;
};

/** A non-shell fence (yaml, promql, sql, json…): shown with a copy button, never run. */
export type ReferenceBlock = {
  id: string;
  language: string | null;
  sectionId: string | null;
  startLine: number;
  endLine: number;
};

export type Surface = {
  name: string;
  /** systemd unit ("ouroboros-api.service") when the cell names one. */
  unit: string | null;
  /** Command that starts the surface when the cell is a command. */
  command: string | null;
  port: number | null;
  envFile: string | null;
  healthCheck: { source: string; http: HttpCall | null } | null;
};

export type LinkKind = "runbook" | "document" | "external" | "anchor";

export type Link = {
  text: string;
  href: string;
  kind: LinkKind;
  /** Slug of the runbook the link points to (kind "runbook" only). */
  targetSlug: string | null;
  /** Title of the heading the link sits under (e.g. "Critical Incident Response"). */
  category: string | null;
  sectionId: string | null;
  /** Text after the link in an index entry ("— General incident response protocol"). */
  description?: string;
  /** Task list state when the link is a task item, else null. */
  checked: boolean | null;
  /** Runbook links are pending until the library resolves them to an existing runbook. */
  pending: boolean;
  line: number;
};

export type ValidationOutcome = "pass" | "pass-with-notes" | "fail" | "unknown";

export type ValidationLogRow = {
  date: string;
  validator: string;
  environment: string;
  result: string;
  notes: string;
  outcome: ValidationOutcome;
  /** First link in the row (the drill report), if any. */
  reportUrl?: string;
  /** Cells of columns beyond the five standard ones, keyed by header. */
  extra: Record<string, string>;
  line: number;
};

/** A fenced markdown block that is a template (seed 003): kept as text, never turned into steps. */
export type Template = {
  language: string;
  content: string;
  startLine: number;
  endLine: number;
  sectionId: string | null;
  /** The template's header lines (`**Scenario:** …`) as written, placeholders and all. */
  metadata: RunbookMetadata;
  metadataKeys: string[];
  sectionTitles: string[];
};

/**
 * The document as rendered once on write: HTML strings, with steps and reference blocks left as
 * slots the page fills in where they stand. Containers are kept as nodes only on the way to a slot.
 */
export type DocNode =
  | string
  | { step: string }
  | { ref: { id: string; language: string | null; code: string } }
  | { tag: "ul" | "ol" | "li" | "blockquote"; attrs?: Record<string, string>; children: DocNode[] };

export type RunbookDocument = { format: 1; nodes: DocNode[] };

export type ParsedRunbook = {
  title: string;
  slug: string;
  /** From front matter (`summary`/`description`). */
  summary?: string;
  metadata: RunbookMetadata;
  sections: Section[];
  steps: Step[];
  /** Union of every step's placeholders (one input per name for the whole runbook). */
  placeholders: Placeholder[];
  checklists: Checklist[];
  tables: Table[];
  references: ReferenceBlock[];
  /** Surfaces of any startup-matrix table (see surfacesFromTable). */
  surfaces: Surface[];
  links: Link[];
  validationLog: ValidationLogRow[];
  templates: Template[];
  warnings: string[];
  lineCount: number;
};

export type ParseOptions = { fileName?: string };
