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
  "dig", "nslookup", "tcpdump", "iptables", "sudo", "ssh", "scp", "rsync", "gitlab-ctl", "gitlab-rake",
  "gitlab-rails", "gitlab-psql", "patronictl", "pg_isready", "pg_dump", "rabbitmqctl", "nodetool", "cqlsh",
  "nvidia-smi", "grep", "jq", "yq", "ls", "df", "du", "ps", "netstat", "lsof", "dmesg", "iostat", "vmstat",
  "python3", "npx", "git", "chmod", "chown", "mkdir", "rm", "cp", "mv", "tar", "sysctl", "ip", "ss",
]);

/** Words of a sentence, not of a command line (quoted text is left out before looking). */
const PROSE_WORDS = new Set([
  "the", "a", "an", "is", "are", "was", "were", "be", "been", "can", "could", "will", "would", "should", "must",
  "may", "might", "has", "have", "does", "do", "did", "this", "that", "these", "those", "it", "its", "you", "your",
  "we", "our", "they", "their", "which", "who", "when", "if", "then", "than", "also", "not", "to", "of", "with",
  "command", "commands", "cli", "tool", "client", "output", "shows", "lists", "returns", "prints", "uses",
]);

/** What the next word of a command line looks like: an option, a subcommand, a path, a value. */
const ARGUMENT = /^(?:-{1,2}[A-Za-z0-9]|[a-z][a-z0-9._:/=@-]*$|[./~$<"'{[]|\d)/;
/** Markdown around words (emphasis, links, escapes): the line is not as the shell would read it. */
const MARKDOWN = /\*\*|__|\]\(|\\[\\`*_{}[\]()#+.!|-]|(?:^|\s)[*_][^\s*_]/;

const MAX_LINE = 400;

/** A plain line read as a command: its text without a `$ ` prompt, or null. */
export function plainCommand(line: string): string | null {
  let text = line.trim();
  if (text.startsWith("$ ")) text = text.slice(2).trim();
  // The program first: it rules out nearly every line of prose before any pattern runs.
  const space = text.search(/\s/);
  if (space === -1 || !PLAIN_PROGRAMS.has(text.slice(0, space))) return null;
  if (text.length > MAX_LINE || text.endsWith(":") || MARKDOWN.test(text)) return null;
  const words = text.split(/\s+/);
  if (!ARGUMENT.test(words[1]) || PROSE_WORDS.has(words[1].toLowerCase())) return null;
  // A sentence ends and another starts, or the words around the quoted parts read as prose.
  if (/[a-z]\.\s+[A-Z]/.test(text) || (/[a-z]{3,}\.$/.test(text) && !/\s\S*\/\S*\.$/.test(text))) return null;
  const unquoted = text.replace(/'[^']*'|"[^"]*"/g, " ").split(/[\s,;]+/);
  // "aws console: open the EC2 page": a label, then words.
  if (unquoted.some((w) => /^[A-Za-z]+:$/.test(w))) return null;
  return unquoted.filter((w) => PROSE_WORDS.has(w.toLowerCase())).length >= 2 ? null : text;
}

/** The lines of a paragraph's text that are plain commands, by their index in it. */
export function plainCommandLines(content: string): Array<{ index: number; source: string }> {
  const out: Array<{ index: number; source: string }> = [];
  content.split("\n").forEach((line, index) => {
    const source = plainCommand(line);
    if (source) out.push({ index, source });
  });
  return out;
}
