// Quote-aware scanning of one shell command: where are `<name>` placeholders and `$VAR` references,
// and in which quoting context. Used by the command analyser and by renderCommandForAgent.

export type QuoteState = "none" | "single" | "double";

export type ShellReference = {
  /**
   * `<name>`, `$VAR`/`${VAR}`, an alert template `{{ $labels.name }}`, or an unquoted `{name}` /
   * `[connection_id]` as other runbook styles write placeholders.
   */
  kind: "angle" | "var" | "template" | "brace" | "bracket";
  /** Name as written ("run_id", "RUN_ID"). */
  name: string;
  /** Exact text ("<run_id>", "${RUN_ID}", "$RUN_ID"). */
  text: string;
  start: number;
  end: number;
  quote: QuoteState;
};

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
// `<pod>`, `<router pod>`: a letter, then words separated by single spaces. A space next to a
// bracket (`sort < in.txt > out.txt`, `sort <in >out`) or a dot (`cmd <file.txt`) keeps it a redirect.
// Every word starts with a letter: `<hosts 2>&1` is a redirect and a descriptor, not a placeholder.
// A word may end in a comma, a dot or a colon (`<enter the environment, eg. gstg or gprd>`).
const ANGLE_NAME = /^<([A-Za-z][A-Za-z0-9_-]*(?:[,.:](?= ))?(?: [A-Za-z][A-Za-z0-9_-]*(?:[,.:](?= ))?)*)>/;
const MAX_ANGLE_NAME = 64;
// Alertmanager / Prometheus templates as pasted from alert annotations: {{ $labels.namespace }}, {{ .Labels.pod }}.
const TEMPLATE_NAME = /^\{\{-?\s*(?:\$labels|\.Labels|\.CommonLabels)\.([A-Za-z_][A-Za-z0-9_]{0,63})\s*-?\}\}/;

// `{reason}`, `{pod-name}`, `{cluster}-creds`: unquoted, a letter first. Bash expands braces only
// around a comma or `..` (`{a,b}`, `{1..3}`), so such a word is literal to the shell and can only
// be a placeholder. `${…}`, `{{…}}`, `{}` and an xargs `-I {name}` replacement string are not.
const BRACE_NAME = /^\{([A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)*)\}/;
// `[connection_id]`, `[pod-name]`, `[CHART]`: unquoted, two or more parts of two or more characters
// each, or one word in capitals, so a glob's class (`[a-z]`, `[A-Za-z0-9]`, `[abc]`) and `[ … ]`
// tests stay. A bracket word stands alone; a brace word may be joined to text (`{pod}-0`).
const BRACKET_NAME = /^\[([A-Z][A-Z0-9_]{2,}|[A-Za-z][A-Za-z0-9]+(?:[_-][A-Za-z0-9]{2,})+)\]/;
const WORD_BEFORE = /[\s=/:;|&(]/;
const WORD_AFTER = /[\s;|&)/:"']/;
/** `xargs -I {pod}`, `--replace={pod}`: the names xargs replaces itself. */
const XARGS_REPLACE = /(?:^|\s)(?:-I\s*|--replace(?:=|\s+))\{([^{}\s]{1,64})\}/g;

/** Statements an unquoted awk program is made of (`awk {print}`): the shell passes them to awk as written. */
const AWK_STATEMENTS = ["print", "printf", "next", "nextfile", "exit", "getline"];
const AWK = /(?:^|[\s|;&(/])[gmn]?awk\s/;

/** Brace words that are not placeholders: xargs's replacement names, and awk's statements. */
function literalBraceNames(source: string): Set<string> {
  const out = new Set<string>();
  if (source.includes("-I") || source.includes("--replace")) for (const m of source.matchAll(XARGS_REPLACE)) out.add(m[1]);
  if (source.includes("awk") && AWK.test(source)) for (const word of AWK_STATEMENTS) out.add(word);
  return out;
}

/** A bare `[name_part]` placeholder standing as a word (or a path segment), or a `{name}` anywhere. */
function bareName(source: string, i: number, pattern: RegExp, skip: Set<string> | null, joined: boolean): RegExpExecArray | null {
  if (i > 0 && (joined ? source[i - 1] === "$" || source[i - 1] === "{" : !WORD_BEFORE.test(source[i - 1]))) return null;
  const m = pattern.exec(source.slice(i, i + MAX_ANGLE_NAME + 2));
  if (!m || skip?.has(m[1])) return null;
  const after = source[i + m[0].length];
  return after === undefined || (joined ? after !== "}" : WORD_AFTER.test(after)) ? m : null;
}

/**
 * Finds placeholders and variable references (scanning is linear: every character is looked at a
 * bounded number of times). `$VAR` inside single quotes is literal and is
 * reported with quote "single" so callers can ignore it; `<name>` counts in every context
 * because authors write it inside JSON bodies too.
 */
export function scanShellReferences(source: string): ShellReference[] {
  const refs: ShellReference[] = [];
  let literal: Set<string> | undefined;
  let quote: QuoteState = "none";
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (quote !== "single" && ch === "\\") {
      i += 2;
      continue;
    }
    if (ch === "'" && quote !== "double") {
      quote = quote === "single" ? "none" : "single";
      i += 1;
      continue;
    }
    if (ch === '"' && quote !== "single") {
      quote = quote === "double" ? "none" : "double";
      i += 1;
      continue;
    }
    if (ch === "<") {
      const m = ANGLE_NAME.exec(source.slice(i, i + MAX_ANGLE_NAME + 2));
      if (m) {
        refs.push({ kind: "angle", name: m[1], text: m[0], start: i, end: i + m[0].length, quote });
        i += m[0].length;
        continue;
      }
    }
    if (quote === "none" && (ch === "{" || ch === "[") && source[i + 1] !== "{") {
      const m = ch === "{" ? bareName(source, i, BRACE_NAME, (literal ??= literalBraceNames(source)), true) : bareName(source, i, BRACKET_NAME, null, false);
      if (m) {
        refs.push({ kind: ch === "{" ? "brace" : "bracket", name: m[1], text: m[0], start: i, end: i + m[0].length, quote });
        i += m[0].length;
        continue;
      }
    }
    if (ch === "{" && source[i + 1] === "{") {
      const m = TEMPLATE_NAME.exec(source.slice(i, i + 100));
      if (m) {
        refs.push({ kind: "template", name: m[1], text: m[0], start: i, end: i + m[0].length, quote });
        i += m[0].length;
        continue;
      }
    }
    if (ch === "$") {
      const next = source[i + 1];
      if (next === "{") {
        let j = i + 2;
        if (j < source.length && NAME_START.test(source[j])) {
          while (j < source.length && NAME_CHAR.test(source[j])) j += 1;
          if (source[j] === "}") {
            refs.push({ kind: "var", name: source.slice(i + 2, j), text: source.slice(i, j + 1), start: i, end: j + 1, quote });
            i = j + 1;
            continue;
          }
        }
      } else if (next !== undefined && NAME_START.test(next)) {
        let j = i + 1;
        while (j < source.length && NAME_CHAR.test(source[j])) j += 1;
        refs.push({ kind: "var", name: source.slice(i + 1, j), text: source.slice(i, j), start: i, end: j, quote });
        i = j;
        continue;
      }
    }
    i += 1;
  }
  return refs;
}

// A runbook names the same few variables hundreds of times: each spelling is normalised once.
const normalized = new Map<string, string>();

/** `RUN_ID`, `run-id`, `runId` → `run_id`. */
export function normalizeInputName(name: string): string {
  let out = normalized.get(name);
  if (out === undefined) {
    out = name
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .replace(/[^A-Za-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .toLowerCase();
    if (normalized.size >= 10_000) normalized.clear();
    normalized.set(name, out);
  }
  return out;
}

/**
 * Rewrites each `<name>` (and `{{ $labels.name }}`, `{name}`, `[name_part]`) placeholder into a quoted variable reference (`"${name}"`) so that a
 * shell parser never reads it as a redirect; everything else stays byte-identical. Inside single
 * quotes the quote is closed and reopened around the reference so the variable still expands.
 */
export function renderCommandForAgent(command: string | { source: string }): string {
  const source = typeof command === "string" ? command : command.source;
  const refs = scanShellReferences(source).filter((r) => r.kind !== "var");
  if (refs.length === 0) return source;
  let out = "";
  let last = 0;
  for (const ref of refs) {
    out += source.slice(last, ref.start);
    const name = normalizeInputName(ref.name);
    if (ref.quote === "single") out += `'"\${${name}}"'`;
    else if (ref.quote === "double") out += `\${${name}}`;
    else out += `"\${${name}}"`;
    last = ref.end;
  }
  return out + source.slice(last);
}
