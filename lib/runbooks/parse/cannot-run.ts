import type { AnalyzedCommand } from "./analyze-command";
import { runsUntilStopped } from "./runs-forever";
import { opensEditor, programOf, sessionOpenedBy } from "./sessions";

// Commands a step shows but must not run as written, and why. Running them through the agent
// would do something else than the author meant: type into a session the step cannot drive, act
// on the wrong host, wait for someone to type, never end, run output lines, or run both of two alternatives.
// They are kept (the page shows them with the reason) and the step is not runnable.

export type RunCheck = {
  /** Commands of a block labelled as a script that read as output, not as commands. */
  output?: Set<number>;
  /** A session a command of an earlier step opened, when the text says this step is for it. */
  openSession?: OpenSession | null;
};

/**
 * A session the step is meant for: opened by a command of an earlier step (`opener` is that
 * command), or by the text itself ("Log in to the worker node and …": `opener` is those words).
 */
export type OpenSession = {
  opener: string;
  line: number;
  session: string;
  byText?: boolean;
  /** Opened by a command the text announced ("rsh into the etcd pod", then `oc rsh …`): it holds as one the text opened. */
  announced?: boolean;
};

/** A session that holds for the rest of its section (unless the text leaves it): one the text opened or announced. */
export function holdsForSection(session: OpenSession | null | undefined): boolean {
  return !!session && (!!session.byText || !!session.announced);
}

const ALTERNATIVE = /^(or|alternatively|otherwise|either)\b/i;
/** `[gitlab-staging-1|gitlab-production]` standing in a command: choices, not a glob. */
const CHOICES = /(?:^|[\s=~/-])\[[\w.-]{1,64}(?:\|[\w.-]{1,64})+\]/;

/** The command without its quoted strings (a `[a|b]` inside quotes is the program's own text). */
function withoutQuoted(source: string): string {
  return source.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");
}
/** `read` as a command, with its options (`read -rp "Next?" ok`). Linear: options are `-` and word characters. */
const READ_OPTIONS = /(?:^|[;&|({]\s*|\b(?:do|then|else)\s+)read((?:\s+-\w+)+)/gm;
/** An option cluster with `p` (a prompt) or `s` (silent, for secrets): someone at a terminal answers. */
const PROMPT_OPTION = /-[^\sps]*[ps]/;
/** Clients that ask for the password at the terminal given these options (`mysql -p`, `psql -W`). */
const PASSWORD_OPTIONS: Record<string, string[]> = { mysql: ["-p", "--password"], mariadb: ["-p", "--password"], mysqladmin: ["-p", "--password"], mysqldump: ["-p", "--password"], psql: ["-W", "--password"] };

/** Any of PASSWORD_OPTIONS' programs: a command that names none is not split into words at all. */
const PASSWORD_PROGRAM = /mysql|mariadb|psql/;

function asksForPassword(source: string): boolean {
  if (!PASSWORD_PROGRAM.test(source)) return false;
  for (const segment of source.split(/[|;&\n]/)) {
    const words = segment.trim().split(/\s+/);
    const at = words.findIndex((w) => Object.hasOwn(PASSWORD_OPTIONS, w.replace(/^.*\//, "")));
    if (at !== -1 && words.slice(at + 1).some((w) => PASSWORD_OPTIONS[words[at].replace(/^.*\//, "")].includes(w))) return true;
  }
  return false;
}

export function oneLine(source: string): string {
  const line = source.replace(/\s*\\?\n\s*/g, " ").trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function waitsForTyping(source: string): string | null {
  const prompted = source.includes("read") && [...source.matchAll(READ_OPTIONS)].some((m) => PROMPT_OPTION.test(m[1]));
  if (prompted) return "it waits for someone to type an answer (`read -p`), which a step cannot give; run it in a terminal";
  if (asksForPassword(source)) return "it asks for a password at the terminal, which a step cannot type; run it in a terminal";
  if (opensEditor(source)) return "it opens an editor and waits for someone to save the file, which a step cannot do; run it in a terminal";
  return null;
}

/**
 * The commands with `unreadable` set where they cannot run, the warnings to show, and the session
 * the step leaves open (its last command opens one), for the steps after it.
 */
export function checkRunnable(commands: AnalyzedCommand[], check: RunCheck = {}): { commands: AnalyzedCommand[]; warnings: string[]; leavesOpen: OpenSession | null } {
  // Copies: the analyser shares its results between equal commands.
  const out = commands.map((c) => ({ ...c }));
  const warnings: string[] = [];
  const mark = (c: AnalyzedCommand, reason: string) => {
    c.unreadable ??= reason;
  };

  if (check.openSession?.byText) {
    const { opener, session } = check.openSession;
    for (const c of out) mark(c, `the text says to run it in ${session} ("${opener}"), not on the host that runs the step`);
    warnings.push(`Line ${out[0].startLine}: the text says to run this step in ${session} ("${opener}"). The step is shown but cannot run as written.`);
    return { commands: out, warnings, leavesOpen: check.openSession };
  }
  if (check.openSession) {
    const { opener, line, session } = check.openSession;
    for (const c of out) mark(c, `it is meant for ${session} that \`${opener}\` (line ${line}) opens, not for the host that runs the step`);
    warnings.push(`Line ${out[0].startLine}: the text places this step in ${session} that \`${opener}\` (line ${line}) opens. The step is shown but cannot run as written.`);
    return { commands: out, warnings, leavesOpen: check.openSession };
  }

  const outputLines = out.filter((_, i) => check.output?.has(i));
  for (const c of outputLines) mark(c, "it reads as output, not as a command (a terminal transcript without prompts?)");
  if (outputLines.length) warnings.push(`Line ${outputLines[0].startLine}: \`${oneLine(outputLines[0].source)}\` reads as output, not as a command. The step is shown but cannot run as written.`);

  for (const c of out) {
    const reason = c.unreadable ? null : waitsForTyping(c.source);
    if (reason) {
      mark(c, reason);
      warnings.push(`Line ${c.startLine}: \`${oneLine(c.source)}\` waits for someone to type. The step is shown but cannot run as written.`);
    }
  }

  for (const c of out) {
    const forever = c.unreadable ? null : runsUntilStopped(c.source);
    if (forever) {
      mark(c, `${forever}, so the step would never finish; run it in a terminal, or bound it (\`timeout 30 …\`)`);
      warnings.push(`Line ${c.startLine}: \`${oneLine(c.source)}\` runs until it is stopped. The step is shown but cannot run as written.`);
    }
  }

  // `--project [staging|production]`: choices to pick from, which the shell would read as a pipe.
  const choices = out.find((c) => !c.unreadable && c.source.includes("|") && c.source.includes("[") && CHOICES.test(withoutQuoted(c.source)));
  if (choices) {
    for (const c of out) mark(c, "it offers choices in brackets (`[a|b]`) to pick from, which the shell would read as a pipe");
    warnings.push(`Line ${choices.startLine}: \`${oneLine(choices.source)}\` offers choices in brackets; pick one in a terminal. The step is shown but cannot run as written.`);
  }

  const alternative = out.find((c, i) => i > 0 && c.group !== out[i - 1].group && !!c.comment && ALTERNATIVE.test(c.comment));
  if (alternative) {
    for (const c of out) mark(c, "the block offers alternatives (`# or`), and a step cannot choose between them");
    warnings.push(`Line ${alternative.startLine}: the block offers alternatives ("${oneLine(alternative.comment!)}"); a step would run them all. The step is shown but cannot run as written.`);
  }

  let leavesOpen: OpenSession | null = null;
  const at = out.findIndex((c) => !c.unreadable && sessionOpenedBy(c.source) !== null);
  if (at !== -1) {
    const opener = out[at];
    const session = sessionOpenedBy(opener.source)!;
    opener.unreadable = `it opens ${session}, which a step cannot drive; run it in a terminal`;
    const meantFor = `it is meant for ${session} that \`${oneLine(opener.source)}\` (line ${opener.startLine}) opens, not for the host that runs the step`;
    for (const c of out.slice(at + 1)) mark(c, meantFor);
    const after = out.length > at + 1 ? "; the commands after it are meant for that session" : "";
    warnings.push(`Line ${opener.startLine}: \`${oneLine(opener.source)}\` opens ${session}${after}. The step is shown but cannot run as written.`);
    if (at === out.length - 1) leavesOpen = { opener: oneLine(opener.source), line: opener.startLine, session };
  }
  return { commands: out, warnings, leavesOpen };
}

/** Words before a step that place it inside a session opened earlier ("Inside the pod:", "On the node, …"). */
const IN_SESSION = /\b(?:inside|within|in|from|on)\s+(?:the|that|this|your)\s+(?:pod|container|node|host|shell|session|vm|machine|debug (?:pod|shell)|toolbox)\b|\bonce (?:you are |you're )?(?:logged in|connected|inside|in the (?:pod|container|shell))\b|\bin the (?:new|remote|debug|root) shell\b/i;

export function textPlacesInSession(prose: string[]): boolean {
  return prose.some((p) => IN_SESSION.test(bounded(p)));
}

/** Words between a verb and the machine: not a conjunction or a verb of the sentence. */
const FILLER = String.raw`(?:(?!(?:and|or|then|to|run|check|list|get|use|with|via|from|in|on|of|for|as|where|which|that)\b)[\w-]{1,30}\s+){0,3}`;
/** A machine or a container, and not the start of another noun ("the node pool", "the master realm's console"). */
const MACHINE_OR_CONTAINER = String.raw`(?:(?:node|host|server|machine|vm|instance|bastion|master|worker|box)s?|pods?|containers?)\b(?!['’]s\b|\s+(?:pool|console|ui|dashboard|realm|group|web|api|list|name|port|address|ip)\b)`;
const DETERMINER = String.raw`((?:the|a|an|each|every|all|one\s+of\s+the|your|that|this)\s+)?`;

/**
 * Words that send the reader to another machine before the commands: "Log in to the worker node",
 * "SSH into each master", "exec into the pod", "If you have SSH access to the nodes". Not "log in
 * to the cluster", "the console" or "connect to the database": those commands still run from
 * here. Bounded: at most three words (not "and", "run"…) between the verb and the machine, the
 * longest such name ("the affected worker node", not "the affected worker").
 */
const LOGIN_ELSEWHERE = new RegExp(
  String.raw`\b(?:log(?:ging)?[ -]?(?:in|on)(?:\s*to|\s+on)?|sign\s+in\s+to|ssh(?:\s+(?:in)?to|\s+on(?:to)?)|(?:ssh|shell|console)\s+access\s+to|remote\s+(?:in)?to|(?:shell|exec|rsh)\s+into|(?:get|open)\s+a\s+shell\s+(?:on|in))\s+` +
    DETERMINER +
    `(${FILLER}${MACHINE_OR_CONTAINER})`,
  "i",
);

/**
 * "On the replica node, run …": where the text places host-level commands. Nodes, VMs and
 * instances only: "on the host" is where a host agent runs its steps.
 */
const NODE = String.raw`(?:node|instance|vm|master|worker)s?\b(?!['’]s\b|\s+(?:pool|console|ui|dashboard|realm|group|web|api|list|name|port|address|ip)\b)`;
const ON_MACHINE = new RegExp(String.raw`\b(?:on|from)\s+` + DETERMINER + `(${FILLER}${NODE})`, "i");

/** Words that bring the reader back to where steps run. */
const BACK_HERE = /\b(?:from|on|back\s+(?:on|to))\s+(?:your|the)\s+(?:own\s+)?(?:workstation|laptop|local\s+machine|machine|terminal)\b|\blocally\b|\b(?:exit|log\s*out\s+of|leave)\s+the\s+(?:session|shell|pod|node|host)\b/i;

/** Programs that act on the machine they run on: "on the node" before them means that node. */
const HOST_LEVEL = new Set(["systemctl", "journalctl", "service", "chronyc", "timedatectl", "crictl", "reboot", "shutdown", "mount", "umount", "dmesg", "sysctl", "modprobe", "lsblk", "apt", "apt-get", "yum", "dnf", "rpm", "dpkg", "chef-client", "chef-client-disable", "chef-client-enable", "rm", "df", "du", "free", "iptables", "ip", "sudo"]);

/** Cluster and cloud clients: a runbook runs them from a workstation, whatever session the text opened before. */
const WORKSTATION_CLIENTS = new Set(["kubectl", "oc", "helm", "kubectx", "kubens", "aws", "gcloud", "az", "terraform", "argocd", "flux", "gh", "glab"]);

/** Whether every command is a cluster or cloud client (`kubectl get pods`), which a workstation runs. */
export function runsFromWorkstation(sources: string[]): boolean {
  return sources.length > 0 && sources.every((source) => WORKSTATION_CLIENTS.has(programOf(source)));
}

/** The words of the text, at most 2,000 characters, code span marks left out ("`rsh` into the `etcd` pod"). */
function bounded(text: string): string {
  return (text.length > 2000 ? text.slice(0, 2000) : text).replaceAll("`", "");
}

function sessionFrom(m: RegExpExecArray, line: number, inside: boolean): OpenSession {
  const where = `${(m[1] ?? "the ").toLowerCase()}${m[2].replace(/\s+/g, " ")}`;
  return { opener: m[0].replace(/\s+/g, " "), line, session: inside ? `a shell in ${where}` : `a session on ${where}`, byText: true };
}

/** The session the words before a step send it to ("a session on the worker node"), or null. */
export function loginElsewhere(prose: string[], line: number): OpenSession | null {
  for (const text of prose) {
    const m = LOGIN_ELSEWHERE.exec(bounded(text));
    if (m) return sessionFrom(m, line, /\b(?:pod|container)s?$/i.test(m[2]));
  }
  return null;
}

/** "Run the following command in all etcd pods": the commands are for a shell in each of them. */
const IN_EVERY_CONTAINER = new RegExp(String.raw`\b(?:in|inside)\s+((?:each|every|all|all\s+the|all\s+of\s+the|one\s+of\s+the|any)\s+)(${FILLER}(?:pods?|containers?)\b)`, "i");

/**
 * "Restart the kubelet on the node:" before host-level commands (`systemctl`, `sudo …`), or "in
 * all etcd pods" before commands that are not cluster clients (`etcdctl defrag`): a session there.
 */
export function placedOnMachine(prose: string[], sources: string[], line: number): OpenSession | null {
  if (!runsFromWorkstation(sources)) {
    for (const text of prose) {
      const m = IN_EVERY_CONTAINER.exec(bounded(text));
      if (m) return sessionFrom(m, line, true);
    }
  }
  const hostLevel = sources.some((source) => HOST_LEVEL.has(programOf(source)) || source.trim().startsWith("sudo "));
  if (!hostLevel) return null;
  for (const text of prose) {
    const m = ON_MACHINE.exec(bounded(text));
    if (m) return sessionFrom(m, line, false);
  }
  return null;
}

/** Whether the words before a step bring the reader back from a session the text opened. */
export function textLeavesSession(prose: string[]): boolean {
  return prose.some((p) => BACK_HERE.test(bounded(p)));
}
