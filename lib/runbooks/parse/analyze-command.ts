import { parse as shellParse } from "shell-quote";
import { classifyApi, parseCurlArgs, parseJsonPipe } from "./curl";
import { assertionsFromComment, expectationFromComment } from "./expectations";
import type { Assignment, Capture, HttpCall, StepCommand } from "./model";
import { normalizeInputName, scanShellReferences, type ShellReference } from "./shell-scan";

/** A command analysed on its own; step-level placeholder resolution happens in the caller. */
export type AnalyzedCommand = Omit<StepCommand, "placeholders"> & {
  /** References to `<name>` and unquoted/double-quoted `$VAR` in source order. */
  references: ShellReference[];
};

type Token = string | { op: string } | { comment: string } | { op: "glob"; pattern: string };

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;
const CAPTURE = /^([A-Za-z_][A-Za-z0-9_]*)=\$\(([\s\S]*)\)$/;
const SENTINEL = /__SRQ(\d+)__/g;

/** Tokenises with shell-quote, keeping `$VAR` and `<name>` exactly as written. */
function tokenize(source: string): Token[] {
  const refs = scanShellReferences(source).filter((r) => r.kind === "angle" || r.quote !== "single");
  let masked = "";
  let last = 0;
  refs.forEach((ref, index) => {
    masked += source.slice(last, ref.start) + `__SRQ${index}__`;
    last = ref.end;
  });
  masked += source.slice(last);
  const restore = (s: string) => s.replace(SENTINEL, (_, n: string) => refs[Number(n)]?.text ?? "");
  const joined = masked.replace(/\\\r?\n/g, " ");
  return (shellParse(joined, (key: string) => `$${key}`) as Token[]).map((t) => {
    if (typeof t === "string") return restore(t);
    if ("pattern" in t) return restore(t.pattern);
    return t;
  });
}

function splitSegments(tokens: Token[]): { segments: Array<{ words: string[]; op: string | null }>; comment?: string } {
  const segments: Array<{ words: string[]; op: string | null }> = [{ words: [], op: null }];
  let comment: string | undefined;
  for (const t of tokens) {
    if (typeof t === "string") segments[segments.length - 1].words.push(t);
    else if ("comment" in t) comment = t.comment.trim();
    else segments.push({ words: [], op: t.op });
  }
  return { segments: segments.filter((s) => s.words.length > 0 || s.op !== null), ...(comment ? { comment } : {}) };
}

function splitEnv(words: string[]): { env: Record<string, string>; rest: string[] } {
  const env: Record<string, string> = {};
  let i = 0;
  while (i < words.length) {
    const m = ASSIGNMENT.exec(words[i]);
    if (!m) break;
    env[m[1]] = m[2];
    i += 1;
  }
  return { env, rest: words.slice(i) };
}

type Classified = { kind: "http" | "shell"; http?: HttpCall; env: Record<string, string>; extract?: Capture["path"] };

/** A pipeline of curl plus an understood JSON pipe is an HTTP call; everything else is shell. */
function classifyPipeline(source: string, tokens: Token[] = tokenize(source)): Classified & { trailingComment?: string } {
  const { segments, comment } = splitSegments(tokens);
  const first = segments[0];
  const { env, rest } = splitEnv(first?.words ?? []);
  const result: Classified & { trailingComment?: string } = { kind: "shell", env, ...(comment ? { trailingComment: comment } : {}) };
  if (rest[0] !== "curl") return result;
  if (segments.slice(1).some((s) => s.op !== "|") || segments.length > 2) return result;
  const call = parseCurlArgs(rest.slice(1));
  if (!call) return result;
  const { parsedUrl, ...http } = call;
  const api = classifyApi(parsedUrl);
  if (!api) return result;
  const full: HttpCall = { api, ...http };
  if (segments.length === 2) {
    const pipe = parseJsonPipe(segments[1].words);
    if (!pipe) return result;
    full.pipeTo = pipe;
    if (pipe.kind === "json-extract") result.extract = pipe.path;
  }
  return { ...result, kind: "http", http: full };
}

export function analyzeCommand(raw: { source: string; group: number; comment?: string }, ordinal: number, lines: { start: number; end: number }): AnalyzedCommand {
  const source = raw.source;
  const singleLine = source.replace(/\\\r?\n\s*/g, " ").trim();
  const captures: Capture[] = [];
  const assigns: Assignment[] = [];
  let classified: Classified & { trailingComment?: string };
  const capture = CAPTURE.exec(singleLine);
  if (capture) {
    classified = classifyPipeline(capture[2]);
    const [variable] = [capture[1]];
    captures.push({
      variable,
      input: normalizeInputName(variable),
      from: classified.extract ? "json" : "stdout",
      path: classified.extract ?? [],
    });
  } else {
    const raw = tokenize(source);
    classified = classifyPipeline(source, raw);
    const tokens = splitSegments(raw);
    const onlyAssignments =
      tokens.segments.length === 1 && tokens.segments[0].words.length > 0 && tokens.segments[0].words.every((w) => ASSIGNMENT.test(w));
    if (onlyAssignments) {
      for (const w of tokens.segments[0].words) {
        const m = ASSIGNMENT.exec(w);
        if (m) assigns.push({ variable: m[1], value: m[2] });
      }
      classified.env = {};
    }
  }
  const comment = [raw.comment, classified.trailingComment].filter(Boolean).join(" ") || undefined;
  const references = scanShellReferences(source).filter((r) => r.kind === "angle" || r.quote !== "single");
  return {
    ordinal,
    source,
    startLine: lines.start,
    endLine: lines.end,
    group: raw.group,
    ...(comment ? { comment } : {}),
    kind: classified.kind,
    ...(classified.http ? { http: classified.http } : {}),
    env: classified.env,
    expectation: expectationFromComment(comment),
    assertions: assertionsFromComment(comment),
    captures,
    assigns,
    references,
  };
}

const KNOWN_COMMANDS = new Set([
  "curl", "wget", "tail", "head", "cat", "less", "grep", "createdb", "dropdb", "psql", "pg_dump", "pg_restore",
  "systemctl", "journalctl", "ls", "ps", "df", "du", "free", "top", "kill", "pkill", "ss", "netstat", "lsof",
  "docker", "kubectl", "git", "mise", "make", "npm", "npx", "node", "python", "python3", "redis-cli", "dig",
  "nslookup", "ping", "openssl", "jq", "sudo", "service", "mkdir", "printf", "echo", "cd", "export", "rm", "cp",
  "mv", "tar", "sqlite3", "uptime", "env", "bash", "sh",
]);

/** Whether a code span or fence line reads as a command rather than a name or a value. */
export function looksLikeCommand(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.includes("\n")) return false;
  const word = trimmed.split(/\s+/, 1)[0];
  if (/^(\.{1,2}\/|~\/|\/)?[\w./-]*\.(sh|py|rb|pl)$/.test(word) && (word.includes("/") || trimmed.includes(" "))) return true;
  if (/^\.{1,2}\//.test(word) && word.length > 2) return true;
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) return looksLikeCommand(trimmed.slice(word.length));
  return KNOWN_COMMANDS.has(word) && (trimmed.includes(" ") || word === "uptime" || word === "ls" || word === "df");
}
