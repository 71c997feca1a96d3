import { parse as shellParse } from "shell-quote";
import { classifyApi, parseCurlArgs, parseJsonPipe } from "./curl";
import { assertionsFromComment, expectationFromComment } from "./expectations";
import type { Assignment, Capture, HttpCall, StepCommand } from "./model";
import { normalizeInputName, scanShellReferences, type ShellReference } from "./shell-scan";

/** A command analysed on its own; step-level placeholder resolution happens in the caller. */
export type AnalyzedCommand = Omit<StepCommand, "placeholders"> & {
  /** References to `<name>` and unquoted/double-quoted `$VAR` in source order. */
  references: ShellReference[];
  /** Variables the command sets for itself: `for NAME in`, `select NAME in`, `read [-r] NAME…`, and assignments inside it (a function body). */
  locals: string[];
};

type Token = string | { op: string } | { comment: string } | { op: "glob"; pattern: string };

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;
/** The start of `NAME=$(…)`, also quoted or declared (`export NAME="$(…`); see `captureOf`. */
const CAPTURE_START = /^(?:(?:export|local|readonly|declare)\s+)?([A-Za-z_][A-Za-z0-9_]*)=("?)\$\(/;

/** `NAME=$(…)` as a whole command, with a trailing `# comment` or not: the variable, the inner command, the comment. */
function captureOf(line: string): { variable: string; inner: string; comment?: string } | null {
  const start = CAPTURE_START.exec(line);
  if (!start) return null;
  const closing = `)${start[2]}`;
  let rest = line.slice(start[0].length);
  let comment: string | undefined;
  const hash = rest.lastIndexOf(" #");
  if (hash !== -1 && rest.slice(0, hash).trimEnd().endsWith(closing)) {
    comment = rest.slice(hash + 2).trim() || undefined;
    rest = rest.slice(0, hash).trimEnd();
  }
  if (!rest.endsWith(closing)) return null;
  return { variable: start[1], inner: rest.slice(0, rest.length - closing.length), ...(comment ? { comment } : {}) };
}
const SENTINEL = /__SRQ(\d+)__/g;

/** Tokenises with shell-quote, keeping `$VAR` and `<name>` exactly as written. */
function tokenize(source: string, refs: ShellReference[] = scanShellReferences(source).filter(isInputReference)): Token[] {
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

/** `<name>` and `{{ $labels.name }}` count in every quoting context; `$VAR` not inside single quotes. */
function isInputReference(ref: ShellReference): boolean {
  return ref.kind !== "var" || ref.quote !== "single";
}

const HEREDOC_START = /^<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;

/** Where the body of the heredocs opened on a line ends: after the line that is each one's word. */
function afterHeredocs(source: string, from: number, words: string[]): number {
  let pos = from;
  for (const word of words) {
    while (pos < source.length) {
      const eol = source.indexOf("\n", pos);
      const line = source.slice(pos, eol === -1 ? source.length : eol);
      pos = eol === -1 ? source.length : eol + 1;
      if (line.trim() === word) break;
    }
  }
  return pos;
}

/**
 * Whether quotes and `$(`…`)` close by the end of the command (a shell could not read it
 * otherwise). Heredoc bodies are text, whatever quotes they hold (also inside `"$(cat <<EOF …)"`).
 */
function unclosed(source: string): string | null {
  let quote: "'" | '"' | null = null;
  let parens = 0;
  const heredocs: string[] = [];
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (quote !== "'" && ch === "<" && source[i + 1] === "<") {
      const m = HEREDOC_START.exec(source.slice(i, i + 80));
      if (m) {
        heredocs.push(m[2]);
        i += m[0].length - 1;
        continue;
      }
    }
    if (ch === "\n" && heredocs.length) {
      i = afterHeredocs(source, i + 1, heredocs) - 1;
      heredocs.length = 0;
      continue;
    }
    if (quote === "'") {
      if (ch === "'") quote = null;
      continue;
    }
    if (ch === "\\") {
      i += 1;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "#" && (i === 0 || /\s/.test(source[i - 1])) && parens === 0) {
      const eol = source.indexOf("\n", i);
      if (eol === -1) break;
      i = eol;
    } else if (ch === "(") parens += 1;
    else if (ch === ")" && parens > 0) parens -= 1;
  }
  if (quote) return `a ${quote === "'" ? "single" : "double"} quote is never closed`;
  if (parens > 0) return "a parenthesis is never closed";
  return null;
}

/**
 * Analyses one command. Text a shell could not read (a bad `${…}` substitution, an unclosed
 * quote) is kept as an unreadable shell command: shown, warned about, never run.
 */
export function analyzeCommand(raw: { source: string; group: number; comment?: string }, ordinal: number, lines: { start: number; end: number }): AnalyzedCommand {
  // Runbooks repeat their commands (the same `kubectl get pods` in every section, across files):
  // the analysis depends only on the text and its comment, so a repeat costs a copy.
  const key = raw.source.length <= MAX_CACHED_SOURCE ? `${raw.comment ?? ""}\u0000${raw.source}` : null;
  const hit = key === null ? undefined : analysed.get(key);
  if (hit) {
    return { ...hit, ordinal, startLine: lines.start, endLine: lines.end, group: raw.group, assertions: [...hit.assertions], captures: hit.captures.map((c) => ({ ...c })), assigns: [...hit.assigns], references: [...hit.references], locals: [...hit.locals] };
  }
  const result = analyzeUncached(raw, ordinal, lines);
  if (key !== null) {
    if (analysed.size >= MAX_CACHED_COMMANDS) analysed.clear();
    analysed.set(key, result);
  }
  return result;
}

const MAX_CACHED_SOURCE = 2_000;
const MAX_CACHED_COMMANDS = 5_000;
const analysed = new Map<string, AnalyzedCommand>();

function analyzeUncached(raw: { source: string; group: number; comment?: string }, ordinal: number, lines: { start: number; end: number }): AnalyzedCommand {
  const problem = unclosed(raw.source);
  if (problem) return unreadableCommand(raw, ordinal, lines, problem);
  try {
    return readCommand(raw, ordinal, lines);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0].slice(0, 120) : "unreadable";
    return unreadableCommand(raw, ordinal, lines, reason);
  }
}

function unreadableCommand(raw: { source: string; group: number; comment?: string }, ordinal: number, lines: { start: number; end: number }, reason: string): AnalyzedCommand {
  return {
    ordinal,
    source: raw.source,
    startLine: lines.start,
    endLine: lines.end,
    group: raw.group,
    ...(raw.comment ? { comment: raw.comment } : {}),
    kind: "shell",
    env: {},
    expectation: expectationFromComment(raw.comment),
    assertions: [],
    captures: [],
    assigns: [],
    references: [],
    locals: [],
    unreadable: reason,
  };
}

function readCommand(raw: { source: string; group: number; comment?: string }, ordinal: number, lines: { start: number; end: number }): AnalyzedCommand {
  const source = raw.source;
  const references = scanShellReferences(source).filter(isInputReference);
  const singleLine = source.replace(/\\\r?\n\s*/g, " ").trim();
  const captures: Capture[] = [];
  const assigns: Assignment[] = [];
  let classified: Classified & { trailingComment?: string };
  const capture = captureOf(singleLine);
  if (capture) {
    classified = capture.comment ? { ...classifyPipeline(capture.inner), trailingComment: capture.comment } : classifyPipeline(capture.inner);
    const variable = capture.variable;
    captures.push({
      variable,
      input: normalizeInputName(variable),
      from: classified.extract ? "json" : "stdout",
      path: classified.extract ?? [],
    });
  } else {
    const raw = tokenize(source, references);
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
    locals: variablesSetInside(source),
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Words that may stand before a command in a segment (`do read x`, `while IFS= read -r line`).
const LEADING_WORDS = new Set(["do", "then", "else", "elif", "if", "while", "until", "!", "{", "time"]);
const RESERVED = new Set([...LEADING_WORDS, "done", "fi", "in", "}"]);
// `read` options that take an argument (`-p prompt`, `-a array`).
const READ_ARGUMENT_OPTIONS = "adiNnptu";

// Builtins that assign their arguments (`local size=…`, `export PGHOST=…`).
const DECLARATIONS = new Set(["local", "export", "declare", "readonly", "typeset"]);
const SETS_VARIABLES = /\b(?:for|select|read|local|export|declare|readonly|typeset)\s|(?:^|[\s;&|({])[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Variables a loop, `read` or an assignment sets inside the command (`for ns in a b; do … $ns …`,
 * `… | while read -r pod; do`, `size=$(du -s "$dir")` in a function body): they are set by the
 * step, so they are not inputs. A `NAME=value` before a command sets it for that command only, so
 * it does not count. Read line by line, since a newline ends the names of a `read`.
 */
function variablesSetInside(source: string): string[] {
  if (!SETS_VARIABLES.test(source)) return [];
  const names: string[] = [];
  for (const line of source.replace(/\\\r?\n/g, " ").split("\n")) {
    if (!SETS_VARIABLES.test(line)) continue;
    let tokens: Token[];
    try {
      tokens = tokenize(line);
    } catch {
      continue;
    }
    for (const { words } of splitSegments(tokens).segments) {
      let k = 0;
      while (k < words.length && LEADING_WORDS.has(words[k])) k += 1;
      const first = k;
      while (k < words.length && ASSIGNMENT.test(words[k])) k += 1;
      const command = words[k];
      if (command === undefined) names.push(...words.slice(first).map((w) => ASSIGNMENT.exec(w)![1]));
      else if (DECLARATIONS.has(command)) {
        for (const w of words.slice(k + 1)) {
          const name = ASSIGNMENT.exec(w)?.[1] ?? w;
          if (NAME.test(name)) names.push(name);
        }
      }
      if ((command === "for" || command === "select") && NAME.test(words[k + 1] ?? "") && (words[k + 2] === "in" || words.length === k + 2)) {
        names.push(words[k + 1]);
      } else if (command === "read") {
        names.push(...readNames(words.slice(k + 1)));
      }
    }
  }
  return [...new Set(names)];
}

/** The variables of `read`'s arguments: `-r a b`, `-rp "Pod: " pod`, `-a pods`. */
function readNames(args: string[]): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < args.length && args[i].startsWith("-") && args[i].length > 1) {
    const letters = args[i].slice(1);
    const at = [...letters].findIndex((l) => READ_ARGUMENT_OPTIONS.includes(l));
    if (at === -1) {
      i += 1;
      continue;
    }
    const value = at === letters.length - 1 ? args[i + 1] : letters.slice(at + 1);
    if (letters[at] === "a" && value !== undefined && NAME.test(value)) names.push(value);
    i += at === letters.length - 1 ? 2 : 1;
  }
  for (; i < args.length && NAME.test(args[i]) && !RESERVED.has(args[i]); i += 1) names.push(args[i]);
  return names;
}

// Programs whose name alone makes a code span a command (with arguments); names of things
// (`Ready`, `GPU`, a metric) never match.
const KNOWN_COMMANDS = new Set([
  "kubectl", "oc", "helm", "kustomize", "k9s", "etcdctl", "crictl", "ctr", "nerdctl", "podman", "istioctl", "linkerd",
  "cilium", "calicoctl", "velero", "argocd", "flux", "kubeadm", "minikube", "kind", "aws", "gcloud", "gsutil", "az",
  "terraform", "vault", "consul", "nomad", "promtool", "amtool", "mimirtool", "logcli", "ip", "iptables", "nft", "nc",
  "ncat", "telnet", "traceroute", "mtr", "tcpdump", "strace", "dmesg", "mount", "umount", "find", "awk", "sed", "sort",
  "uniq", "wc", "xargs", "watch", "timeout", "zcat", "zgrep", "chmod", "chown", "ln", "touch", "date", "sysctl",
  "lsblk", "iostat", "vmstat", "mpstat", "sar", "nvidia-smi", "mysql", "mysqladmin", "mongosh", "mongo", "rabbitmqctl",
  "kafka-topics", "kafka-topics.sh", "kafka-consumer-groups", "kafka-consumer-groups.sh", "yq", "base64", "gzip",
  "tee", "scp", "ssh", "rsync", "pg_isready", "pg_basebackup", "patronictl", "cqlsh", "nodetool", "stat", "which",
  "killall", "nsenter", "certbot", "gitlab-ctl", "gitlab-rake", "gitlab-rails", "gitlab-psql", "gitaly", "consul-template",
  "nginx", "haproxy", "varnishadm", "http", "https", "grpcurl", "host", "journalctl", "loginctl", "resolvectl", "hostnamectl",
  "timedatectl", "chronyc", "ntpq", "fio", "perf", "lsmod", "modprobe", "swapoff", "swapon", "apt", "apt-get", "yum", "dnf",

  "curl", "wget", "tail", "head", "cat", "less", "grep", "createdb", "dropdb", "psql", "pg_dump", "pg_restore",
  "systemctl", "journalctl", "ls", "ps", "df", "du", "free", "top", "kill", "pkill", "ss", "netstat", "lsof",
  "docker", "kubectl", "git", "mise", "make", "npm", "npx", "node", "python", "python3", "redis-cli", "dig",
  "nslookup", "ping", "openssl", "jq", "sudo", "service", "mkdir", "printf", "echo", "cd", "export", "rm", "cp",
  "mv", "tar", "sqlite3", "uptime", "env", "bash", "sh", "brew",
]);

const SCRIPT = /^(\.{1,2}\/|~\/|\/)?[\w./-]*\.(sh|py|rb|pl)$/;
// `< cert.pem openssl x509 -noout`: an input redirect may come before the command.
const LEADING_REDIRECT = /^<\s*[^\s<>|&;]+\s+/;

/** Whether a code span or fence line reads as a command rather than a name or a value. */
export function looksLikeCommand(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.includes("\n")) return false;
  const word = trimmed.split(/\s+/, 1)[0];
  if (SCRIPT.test(word)) {
    // A path (`./x.sh`, `scripts/x.sh`) is a script; a bare `x.sh` only with arguments that are not
    // capitalised words (`crt.sh ID` names a website).
    if (word.includes("/")) return true;
    const next = trimmed.slice(word.length).trim().split(/\s+/, 1)[0];
    return next !== "" && !/^[A-Z]/.test(next);
  }
  const redirect = LEADING_REDIRECT.exec(trimmed);
  if (redirect) return looksLikeCommand(trimmed.slice(redirect[0].length));
  if (/^\.{1,2}\//.test(word) && word.length > 2) return true;
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) return looksLikeCommand(trimmed.slice(word.length));
  return KNOWN_COMMANDS.has(word) && (trimmed.includes(" ") || word === "uptime" || word === "ls" || word === "df");
}

/**
 * A code span inside a sentence ("Check events via `kubectl -n $NAMESPACE describe pod $POD`.")
 * is a step only when it reads as a command with arguments or a `./` path: a bare script name in
 * a sentence ("if `scripts/smoke.sh` fails") is a mention, not an instruction.
 */
export function looksLikeProseCommand(text: string): boolean {
  const trimmed = text.trim();
  return looksLikeCommand(trimmed) && (/\s/.test(trimmed) || trimmed.startsWith("./"));
}
