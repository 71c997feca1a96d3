// Commands written as plain text, without code formatting, on a line of their own in a paragraph
// or a list item:
//
//     Check that the kubelet is up:
//     systemctl status kubelet
//
// Real runbook repositories have them where an author forgot the backticks. Prose is the risk here,
// so a line counts only when it starts with a program no sentence starts with (`kubectl`, not
// `find` or `watch`), its next word reads as an argument, and it has no sentence in it.

/** Programs whose name starts no English sentence; `find`, `sort`, `watch`, `date`, `node`… do. */
const PLAIN_PROGRAMS = new Set([
  "kubectl", "oc", "helm", "kustomize", "etcdctl", "crictl", "podman", "docker", "istioctl", "velero", "argocd",
  "aws", "gcloud", "gsutil", "az", "terraform", "vault", "consul", "nomad", "promtool", "amtool", "logcli",
  "systemctl", "journalctl", "curl", "wget", "psql", "mysql", "mysqladmin", "redis-cli", "mongosh", "openssl",
  "dig", "nslookup", "tcpdump", "iptables", "sudo", "rsync", "gitlab-ctl", "gitlab-rake", "resolvectl",
  "gitlab-rails", "gitlab-psql", "patronictl", "pg_isready", "pg_dump", "rabbitmqctl", "nodetool", "cqlsh",
  "nvidia-smi", "grep", "jq", "yq", "ls", "df", "du", "ps", "netstat", "lsof", "dmesg", "iostat", "vmstat",
  "python3", "npx", "git", "chmod", "chown", "mkdir", "rm", "cp", "mv", "tar", "sysctl", "ip", "ss", "uname",
]);

const OPTION = /^-{1,2}[A-Za-z0-9]/;
const PATH = /^(?:\.{0,2}\/|~\/|\$)|\//;
const HOST = /[.@:$<{]/;
/**
 * Programs that are also English words, or whose next word could be one ("ssh access is…", "free
 * space", "ping the owner"): a command only with the next word of the shape given.
 */
const GUARDED: Record<string, (next: string) => boolean> = {
  ssh: (w) => OPTION.test(w) || HOST.test(w),
  scp: (w) => OPTION.test(w) || PATH.test(w) || HOST.test(w),
  ping: (w) => OPTION.test(w) || HOST.test(w),
  cat: (w) => PATH.test(w) || w === "<<EOF",
  less: (w) => PATH.test(w),
  tail: (w) => OPTION.test(w) || PATH.test(w),
  head: (w) => OPTION.test(w) || PATH.test(w),
  free: (w) => OPTION.test(w),
  find: (w) => PATH.test(w) || w === ".",
  watch: (w) => OPTION.test(w) || PLAIN_PROGRAMS.has(w),
};

/** Words of a sentence, not of a command line (quoted text is left out before looking). */
const PROSE_WORDS = new Set([
  "the", "a", "an", "is", "are", "was", "were", "be", "been", "can", "could", "will", "would", "should", "must",
  "may", "might", "has", "have", "does", "do", "did", "this", "that", "these", "those", "it", "its", "you", "your",
  "we", "our", "they", "their", "which", "who", "when", "if", "then", "than", "also", "not", "to", "of", "with",
  "and", "command", "commands", "cli", "tool", "client", "output", "uses",
]);
/** Words that alone make a line a statement about a command ("df -h still shows high usage"). */
const TELLING_WORDS = new Set(["shows", "returns", "prints", "lists", "still", "usually", "means", "listening", "running", "active"]);

/** What the next word of a command line looks like: an option, a subcommand, a path, a value, a pipe. */
const ARGUMENT = /^(?:-{1,2}[A-Za-z0-9]|[a-z][a-z0-9._:/=@-]*$|[./~$<"'{[|]|\d)/;
/** Markdown around words (emphasis, links, escapes): the line is not as the shell would read it. */
const MARKDOWN = /\*\*|__|\]\(|\\[\\`*_{}[\]()#+.!|-]|(?:^|\s)[*_][^\s*_]/;
/** A remark in parentheses after the command: "sudo systemctl restart ssh (The classic fix)." (the shell could not read it). */
const REMARK = /\s\([A-Z][^()]*\)\.?$/;

const MAX_LINE = 400;

/** A plain line read as a command: its text without a `$ ` prompt or a closing remark, or null. */
export function plainCommand(line: string): string | null {
  return readPlainLine(line)?.source ?? null;
}

/** A plain line read as a command, and the remark in parentheses it ends with, which the page keeps as text. */
export function readPlainLine(line: string): { source: string; remark?: string } | null {
  let text = line.trim();
  if (text.startsWith("$ ")) text = text.slice(2).trim();
  // The program first: it rules out nearly every line of prose before any pattern runs.
  const space = text.search(/\s/);
  if (space === -1) return null;
  const program = text.slice(0, space);
  const guard = GUARDED[program];
  if (!guard && !PLAIN_PROGRAMS.has(program)) return null;
  // A code span on the line: the author formatted what they meant as code, and it is read as such.
  if (text.length > MAX_LINE || text.endsWith(":") || text.includes("`") || MARKDOWN.test(text)) return null;
  const remark = REMARK.exec(text);
  if (remark) text = text.slice(0, remark.index).trimEnd();
  const words = text.split(/\s+/);
  if (!ARGUMENT.test(words[1]) || PROSE_WORDS.has(words[1].toLowerCase()) || (guard && !guard(words[1]))) return null;
  // A sentence ends and another starts, or the line ends as a sentence does (`kubectl apply -f .` does not).
  if (/[a-z0-9]\.\s+[A-Z]/.test(text) || (text.endsWith(".") && !/(?:^|\s)\.$|[/='"]\S*\.$/.test(text))) return null;
  const unquoted = text.replace(/'[^']*'|"[^"]*"/g, " ").split(/[\s,;]+/);
  // A label then words ("aws console: open the EC2 page", "grep 22: SSH usually runs on port 22").
  if (unquoted.some((w, i) => /^[A-Za-z0-9-]+:$/.test(w) || (w.endsWith(":") && /^[A-Z]/.test(unquoted[i + 1] ?? "")))) return null;
  let prose = 0;
  for (const w of unquoted) {
    const lower = w.toLowerCase();
    if (TELLING_WORDS.has(lower)) return null;
    if (PROSE_WORDS.has(lower)) prose += 1;
  }
  if (prose >= 2) return null;
  return remark ? { source: text, remark: remark[0].trim() } : { source: text };
}

/** Lead-ins after which lines are what a command printed, not commands ("Observation:", "Output:"). */
const SHOWS_OUTPUT = /^(?:observations?|output|expected(?: output)?|example output|results?|symptoms?|(?:quick )?findings)\b/i;

/** The lines of a paragraph's text that are plain commands, by their index in it. */
export function plainCommandLines(content: string, context = ""): Array<{ index: number; source: string; remark?: string }> {
  // Most paragraphs are prose: no line of them starts with a lowercase letter or `$`.
  if (!MAY_START_COMMAND.test(content)) return [];
  const out: Array<{ index: number; source: string; remark?: string }> = [];
  let leadIn = context.trim();
  content.split("\n").forEach((line, index) => {
    const read = SHOWS_OUTPUT.test(leadIn) ? null : readPlainLine(line);
    if (read) out.push({ index, ...read });
    else leadIn = line.trim();
  });
  return out;
}

/** A line that starts (after spaces) with a lowercase letter or `$`. */
const MAY_START_COMMAND = /(?:^|\n)[ \t]*[a-z$]/;
