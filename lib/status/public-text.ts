// The check before a public update goes out: finds what should not be told to everyone (addresses,
// host names, commands, email addresses, internal incident ids, the names of the team) and
// promises the cadence does not keep. Pure, so the form runs it as the person types and the server
// runs the same rules before it publishes (the server's verdict is the one that counts).

export type FindingKind = "ip" | "host" | "command" | "email" | "incident" | "person" | "promise";

export type Finding = { kind: FindingKind; start: number; end: number; match: string; why: string };

export const FINDING_LABELS: Record<FindingKind, string> = {
  ip: "IP address",
  host: "Host name",
  command: "Command or file path",
  email: "Email address",
  incident: "Internal incident id",
  person: "Person's name",
  promise: "Promise the cadence does not keep",
};

type Rule = { kind: FindingKind; pattern: RegExp; why: string; keep?: (m: RegExpExecArray, text: string) => boolean; trim?: (match: string) => string };

// Words that end a command line written inside a sentence ("ran sudo reboot on the box").
const SENTENCE_WORDS = new Set("a an and are as at because but by during for from had has have in into is it its of on once or so that the then this to too until was we went were when which while with after before again fine ok okay".split(" "));
/** Cuts a command found in prose at the first ordinary word after the command itself. */
function trimCommand(match: string): string {
  const tokens = match.split(/(\s+)/);
  let end = 1;
  for (let i = 2; i < tokens.length; i += 2) {
    const word = tokens[i].toLowerCase();
    if (SENTENCE_WORDS.has(word) || /^[a-z]{3,}(?:ed|ing)$/.test(word)) break;
    end = i + 1;
  }
  // The command word alone is a word in a sentence, not a command line.
  return end === 1 ? "" : tokens.slice(0, end).join("");
}

const octet = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`(?<![\\w.])${octet}(?:\\.${octet}){3}(?:/\\d{1,2})?(?::\\d{1,5})?(?![\\w.]*\\w)`, "g");
// At least three groups and a "::" or eight groups, so times (10:30) and ratios never match.
const IPV6 = /(?<![\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?|::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})(?:\/\d{1,3})?(?![\w:])/gi;

const INTERNAL_SUFFIX = "(?:internal|local|lan|corp|intra|intranet|priv|private|home|svc|cluster\\.local|localdomain|int)";
const HOST_INTERNAL_DOMAIN = new RegExp(`\\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+${INTERNAL_SUFFIX}\\b`, "gi");
/** Dotted names whose labels look like machines or environments: db1.prod.example.com, web-03.eu.acme.io. */
const HOST_DOTTED = /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.){2,}[a-z]{2,}\b/gi;
const MACHINE_LABEL = /^(?:[a-z]+(?:-[a-z0-9]+)*-?\d+[a-z]?|prod|production|staging|stg|stage|dev|qa|uat|internal|corp|int|mgmt|infra|bastion|jump|k8s)$/i;
/** A single name built like a machine's: db-primary-07, web-03, ip-10-0-3-7, pg-replica-2a. */
const HOST_LABEL = /(?<![\w./-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+[a-z]?(?![\w/-])/g;
/** Common machine prefixes glued to a number: db01, web3, node12, redis2. */
const HOST_SHORT = /(?<![\w./-])(?:db|web|app|node|worker|host|srv|server|redis|pg|postgres|mysql|kafka|lb|cache|queue|mq|vm|box|nginx|proxy|bastion|ip)\d{1,4}[a-z]?(?![\w/-])/gi;

const COMMANDS_ALWAYS = [
  "sudo", "systemctl", "kubectl", "ssh", "scp", "rsync", "docker", "podman", "helm", "terraform", "ansible", "ansible-playbook",
  "psql", "pg_dump", "pg_restore", "pg_ctl", "redis-cli", "mysqldump", "curl", "wget", "journalctl", "iptables", "nft", "chmod",
  "chown", "apt-get", "yum", "dnf", "pkill", "killall", "supervisorctl", "crontab", "tcpdump", "netstat",
  "nslookup", "traceroute", "openssl", "gcloud", "etcdctl", "pm2", "npx", "nohup",
];
/** Words English also uses: only a command when a flag or a path follows. */
const COMMANDS_WITH_ARGS = ["rm", "kill", "git", "service", "cat", "grep", "tail", "ls", "cd", "mv", "cp", "npm", "pip", "make", "find", "ps", "top", "mount", "reboot", "shutdown", "restart", "nginx", "vault", "consul", "nomad", "dig", "apt", "aws", "az"];
const COMMAND_ALWAYS = new RegExp(`(?<![\\w-])(?:${COMMANDS_ALWAYS.map(escapeRe).join("|")})\\s+[^\\s.,;!?]+(?:\\s+-{1,2}[\\w-]+(?:=\\S+)?|\\s+[\\w./:@=-]*[/.=@:][\\w./:@=-]*|\\s+[a-z][\\w-]*(?:\\.service)?)*`, "g");
const COMMAND_ARGS = new RegExp(`(?<![\\w-])(?:${COMMANDS_WITH_ARGS.map(escapeRe).join("|")})\\s+(?:-{1,2}[\\w-]+|~?\\.?/[\\w./-]*)(?:\\s+(?:-{1,2}[\\w-]+|[\\w./:@=-]+))*`, "g");
const CODE_SPAN = /`[^`\n]+`/g;
const SHELL_PROMPT = /^[ \t]*[$#>][ \t]+\S.*$/gm;
const SCRIPT = /(?<![\w/])(?:~|\.{1,2})?\/?(?:[\w.-]+\/)*[\w.-]+\.(?:sh|bash|py|rb|pl|ps1|sql|yaml|yml|conf|service)\b/g;
const ABS_PATH = /(?<![\w:/.])\/(?:etc|var|usr|opt|srv|home|root|tmp|proc|sys|run|mnt|data|app)(?:\/[\w.@-]+)+/g;
const FLAG = /(?<![\w-])--[a-z][\w-]+(?:=\S+)?/g;

const EMAIL = /(?<![\w.+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi;
const MENTION = /(?<![\w@])@[a-z][\w.-]{1,38}\b/gi;
const INCIDENT = /\bINC-?\d{1,9}\b/gi;

const RULES: Rule[] = [
  { kind: "email", pattern: EMAIL, why: "an email address" },
  { kind: "ip", pattern: IPV4, why: "an IPv4 address" },
  { kind: "ip", pattern: IPV6, why: "an IPv6 address", keep: (m) => /[a-f]|::/i.test(m[0]) || m[0].split(":").length >= 8 },
  { kind: "incident", pattern: INCIDENT, why: "an internal incident id" },
  { kind: "command", pattern: CODE_SPAN, why: "code formatting, usually a command" },
  { kind: "command", pattern: SHELL_PROMPT, why: "a shell prompt line" },
  { kind: "command", pattern: COMMAND_ALWAYS, why: "a command line", trim: trimCommand },
  { kind: "command", pattern: COMMAND_ARGS, why: "a command line", trim: trimCommand },
  { kind: "command", pattern: SCRIPT, why: "a script or configuration file" },
  { kind: "command", pattern: ABS_PATH, why: "a server file path" },
  { kind: "command", pattern: FLAG, why: "a command-line flag" },
  { kind: "host", pattern: HOST_INTERNAL_DOMAIN, why: "an internal domain" },
  { kind: "host", pattern: HOST_DOTTED, why: "a machine's host name", keep: (m) => m[0].split(".").slice(0, -1).some((label) => MACHINE_LABEL.test(label)) },
  { kind: "host", pattern: HOST_LABEL, why: "a machine's name", keep: (m) => !/^(?:sev|p|covid|utf|iso|rfc|http|tls|ssl|h|x|mp|ipv)-\d+$/i.test(m[0]) },
  { kind: "host", pattern: HOST_SHORT, why: "a machine's name" },
  { kind: "person", pattern: MENTION, why: "a mention of a person" },
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Name parts that are also ordinary words or job titles: matched only as part of the full name.
const COMMON_WORDS = new Set(
  "admin administrator commander responder viewer user test team ops oncall on-call service support will may june april august mark grant bill chase frank hope joy faith rose lily dawn sky summer winter page case lane hill ward king young white black green brown long west north south east park field love star river stone day major minor general sterling".split(
    " ",
  ),
);

/** Finds people's names: full names anywhere, and a first or last name when written capitalised. */
function personFindings(text: string, people: readonly string[]): Finding[] {
  const out: Finding[] = [];
  const parts = new Set<string>();
  for (const name of people) {
    const full = name.trim();
    if (full.length < 3) continue;
    const fullRe = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(full)}(?![\\p{L}\\p{N}])`, "giu");
    for (const m of text.matchAll(fullRe)) out.push({ kind: "person", start: m.index!, end: m.index! + m[0].length, match: m[0], why: "the name of someone in the team" });
    for (const part of full.split(/\s+/)) if (part.length >= 3 && !COMMON_WORDS.has(part.toLowerCase())) parts.add(part);
  }
  for (const part of parts) {
    // Only the capitalised spelling: a name, not the same letters inside a sentence.
    const cap = part[0].toUpperCase() + part.slice(1);
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(cap)}(?![\\p{L}\\p{N}])`, "gu");
    for (const m of text.matchAll(re)) out.push({ kind: "person", start: m.index!, end: m.index! + m[0].length, match: m[0], why: "the name of someone in the team" });
  }
  return out;
}

const WORD_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10, fifteen: 15, twenty: 20, thirty: 30, forty: 40, "forty-five": 45, sixty: 60 };
const PROMISE = /\b(?:within|in(?: the next)?|by(?: the next)?|every|after)\s+(?:the\s+|an?\s+|(\d{1,4}|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty|forty-five|sixty)\s*)?(hours?|hrs?|h|minutes?|mins?|m)\b/gi;

/** "Next update within the hour" when the cadence is 30 minutes: a promise the team will not keep. */
function promiseFindings(text: string, cadenceMinutes: number | null | undefined): Finding[] {
  if (!cadenceMinutes) return [];
  const out: Finding[] = [];
  for (const m of text.matchAll(PROMISE)) {
    if (/^[hm]$/i.test(m[2]) && !m[1]) continue;
    const n = m[1] ? (Number.isNaN(Number(m[1])) ? WORD_NUMBERS[m[1].toLowerCase()] ?? 1 : Number(m[1])) : 1;
    const minutes = /^h/i.test(m[2]) ? n * 60 : n;
    // Only sentences about the next update: look at the words around the promise.
    const around = text.slice(Math.max(0, m.index! - 80), m.index! + m[0].length + 20).toLowerCase();
    if (!/update|news|more|report|inform|post|share|back to you/.test(around)) continue;
    if (minutes > cadenceMinutes) {
      out.push({ kind: "promise", start: m.index!, end: m.index! + m[0].length, match: m[0], why: `the next update is due within ${cadencePhrase(cadenceMinutes)}` });
    }
  }
  return out;
}

/**
 * Everything in a public text that should make its author look again, in text order. Overlapping
 * matches are merged into the first (longest) one so each piece of text is flagged once.
 */
export function findSensitive(text: string, options: { people?: readonly string[]; cadenceMinutes?: number | null } = {}): Finding[] {
  const found: Finding[] = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of text.matchAll(rule.pattern)) {
      if (!m[0].trim() || (rule.keep && !rule.keep(m as RegExpExecArray, text))) continue;
      const match = rule.trim ? rule.trim(m[0]) : m[0];
      if (!match) continue;
      found.push({ kind: rule.kind, start: m.index!, end: m.index! + match.length, match, why: rule.why });
    }
  }
  found.push(...personFindings(text, options.people ?? []), ...promiseFindings(text, options.cadenceMinutes));
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const merged: Finding[] = [];
  for (const f of found) {
    const last = merged[merged.length - 1];
    if (last && f.start < last.end) {
      if (f.end > last.end) last.end = f.end;
      last.match = text.slice(last.start, last.end);
      continue;
    }
    merged.push({ ...f });
  }
  return merged;
}

/** Splits text into plain and flagged pieces, for highlighting. */
export function highlightPieces(text: string, findings: Finding[]): { text: string; finding?: Finding }[] {
  const out: { text: string; finding?: Finding }[] = [];
  let at = 0;
  for (const f of findings) {
    if (f.start > at) out.push({ text: text.slice(at, f.start) });
    out.push({ text: text.slice(f.start, f.end), finding: f });
    at = f.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** One sentence naming what was found: "IP address “10.0.3.7”, Command or file path “systemctl restart api”". */
export function describeFindings(findings: Finding[], max = 6): string {
  const shown = findings.slice(0, max).map((f) => `${FINDING_LABELS[f.kind]} “${f.match.length > 60 ? `${f.match.slice(0, 59)}…` : f.match}”`);
  const more = findings.length > max ? ` and ${findings.length - max} more` : "";
  return shown.join(", ") + more;
}

/** "30 minutes", "the hour", "2 hours": how the templates say when the next update comes. */
export function cadencePhrase(minutes: number): string {
  if (minutes === 60) return "the hour";
  if (minutes % 60 === 0) return `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

/** The token templates use for the promised time; replaced with the severity's cadence. */
export const NEXT_UPDATE_TOKEN = "{next_update}";

/** Fills a template: the next-update sentence follows the severity's cadence (or is dropped without one). */
export function fillTemplate(body: string, cadenceMinutes: number | null | undefined): string {
  if (!body.includes(NEXT_UPDATE_TOKEN)) return body;
  const sentence = cadenceMinutes ? `We will post the next update within ${cadencePhrase(cadenceMinutes)}, or sooner if anything changes.` : "We will post an update as soon as we know more.";
  return body.replaceAll(NEXT_UPDATE_TOKEN, sentence).replace(/[ \t]{2,}/g, " ").trim();
}
