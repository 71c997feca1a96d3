// Commands that open an interactive session somewhere else: a shell in a pod or on a node, a
// remote login, a root shell. A runbook writes the commands meant for that session right after it
// (`oc debug node/x`, then `chroot /host`, then `journalctl -u kubelet`). A step cannot drive the
// session, and run on their own those commands would act on the host that runs the step instead:
// the step is shown, and cannot run as written.

const SHELLS = new Set(["sh", "bash", "zsh", "ash", "dash", "ksh", "fish"]);
const INTERACTIVE_CLIENTS = new Set(["psql", "mysql", "mariadb", "redis-cli", "mongo", "mongosh", "sqlplus", "cqlsh", "gitlab-psql", "clickhouse-client"]);
/**
 * A wrapper's target that opens a session: `make connect container=master`, `make shell`,
 * `make rails-console`, `just db-shell`. Teams hide their ssh or exec behind such targets.
 */
const SESSION_WORD = /^(?:connect|shell|console|ssh|login|attach|repl|psql|dbconsole|bash|tty)$/;
/** Parts of a target that make it a task about shells, not a session (`lint-shell`, `shell-check`). */
const TASK_WORD = /^(?:check|lint|test|tests|fmt|format|build|install|clean|docs?)$/;

function isSessionTarget(target: string): boolean {
  const parts = target.split(/[-_:]/);
  const at = parts.findIndex((p) => SESSION_WORD.test(p));
  // The session word, with at most one part after it (`ssh-master`), and no task word anywhere.
  return at !== -1 && parts.length - at <= 2 && !parts.some((p) => TASK_WORD.test(p));
}
const WRAPPERS = new Set(["make", "just", "task", "mage"]);
/** Client options that give the client its work, so it does not wait for typing. */
const CLIENT_WORK = /^(-c|-e|-f|--command|--execute|--file|--eval)(=|$)/;
const KUBE_VALUE_OPTIONS = ["-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server", "--as"];
/** ssh options that take a value (`-i key`, `-p 2222`, `-J jump`). */
const SSH_VALUE_OPTIONS = "BbcDEeFIiJLlmOopQRSWw";

/**
 * The words of a command's first logical line: quotes, `$(…)` and backticks kept whole (so
 * `ssh core@$(terraform output ip)` is two words), enough to read its shape. Linear: one pass.
 */
function words(source: string): string[] {
  let cached = wordsOf.get(source);
  if (!cached) {
    cached = readWords(source);
    remember(wordsOf, source, cached);
  }
  return cached;
}

/**
 * Results by command text: a step's commands are looked at by several checks (session, remote
 * work, program), and long runbooks repeat the same commands. Bounded: cleared when full.
 */
const wordsOf = new Map<string, string[]>();
const openedBy = new Map<string, string | null>();
const CACHE_ENTRIES = 4096;

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  // A long script is rarely repeated, and would hold its text in memory.
  if (key.length > 2000) return;
  if (cache.size >= CACHE_ENTRIES) cache.clear();
  cache.set(key, value);
}

/** Space, tab, line feed, vertical tab, form feed, carriage return: what `\s` means in a shell line. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function readWords(source: string): string[] {
  const line = source.includes("\\") ? source.replace(/\\\r?\n\s*/g, " ").split("\n", 1)[0] : source.split("\n", 1)[0];
  const out: string[] = [];
  let word = "";
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "$" && line[i + 1] === "(") {
      depth += 1;
      word += "$(";
      i += 1;
      continue;
    } else if (ch === "(" && depth > 0) depth += 1;
    else if (ch === ")" && depth > 0) depth -= 1;
    else if (depth === 0 && isSpace(line.charCodeAt(i))) {
      if (word) out.push(word);
      word = "";
      continue;
    }
    word += ch;
  }
  if (word) out.push(word);
  return out;
}

/** Leading `sudo` (with its options), `env`, `time`, `nice` and `NAME=value` words. */
export function stripPrefixes(w: string[]): string[] {
  let i = 0;
  while (i < w.length) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w[i]) || w[i] === "time" || w[i] === "env" || w[i] === "nice" || w[i] === "command") i += 1;
    else if (w[i] === "sudo") {
      const start = i;
      let shell = false;
      i += 1;
      while (i < w.length && w[i].startsWith("-")) {
        // `-i` / `-s`, also in a cluster (`-iu postgres`, `-E -s`): a shell when no command follows.
        if (/^-[A-Za-z]*[is]/.test(w[i]) && !w[i].startsWith("--")) shell = true;
        i += /^-[A-Za-z]*[ugCDhprt]$/.test(w[i]) ? 2 : 1;
      }
      if (shell && i >= w.length) return w.slice(start, start + 1);
    } else break;
  }
  return w.slice(i);
}

function programName(word: string | undefined): string {
  return (word ?? "").replace(/^.*\//, "");
}

/** `-it`, `-ti`, `-i -t`, `--stdin --tty`: the command wants a terminal. */
function wantsTerminal(args: string[]): boolean {
  const flags = args.filter((a) => a.startsWith("-"));
  const short = flags.filter((f) => /^-[a-zA-Z]+$/.test(f)).join("");
  return (short.includes("i") && short.includes("t")) || (flags.includes("--stdin") && flags.includes("--tty")) || flags.includes("-it");
}

/** What runs after ` -- ` (kubectl exec, oc debug…), or null without one. */
function afterDashes(args: string[]): string[] | null {
  const at = args.indexOf("--");
  return at === -1 ? null : args.slice(at + 1);
}

function isShell(command: string[]): boolean {
  return command.length >= 1 && SHELLS.has(programName(command[0])) && !command.slice(1).some((a) => a === "-c" || /^-\w*c$/.test(a));
}

function isInteractiveClient(command: string[]): boolean {
  const name = programName(command[0]);
  if (!INTERACTIVE_CLIENTS.has(name)) return false;
  const args = command.slice(1);
  if (args.some((a) => CLIENT_WORK.test(a) || a === "<" || a === "|")) return false;
  // redis-cli with a command after its options (`redis-cli -h x info`) does not wait for typing.
  return name !== "redis-cli" || args.every((a, i) => a.startsWith("-") || (i > 0 && /^-[hpan]$|^--(host|port|user|pass)$/.test(args[i - 1])));
}

/** The arguments without options, and without the values of the options given. */
function withoutOptions(args: string[], withValue: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    if (withValue.includes(args[i])) i += 1;
    else if (!args[i].startsWith("-")) out.push(args[i]);
  }
  return out;
}

/** Where ssh's destination stands among its arguments (after the options and their values). */
function sshDestination(args: string[]): number {
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) {
    const letters = args[i].slice(1);
    i += letters.length > 0 && SSH_VALUE_OPTIONS.includes(letters[letters.length - 1]) && letters.length === 1 ? 2 : 1;
  }
  return i;
}

/** The destination, and nothing after it: a login shell. */
function sshIsLogin(args: string[]): boolean {
  return sshDestination(args) === args.length - 1;
}

function sshRemoteCommand(args: string[]): string[] {
  return args.slice(sshDestination(args) + 1);
}

/**
 * A short description of the session the command opens ("a shell in the container"), or null when
 * it runs and ends on its own.
 */
export function sessionOpenedBy(source: string): string | null {
  let session = openedBy.get(source);
  if (session === undefined) {
    session = readSession(source);
    remember(openedBy, source, session);
  }
  return session;
}

function readSession(source: string): string | null {
  const w = stripPrefixes(words(source));
  if (w.length === 0 || w.some((x) => x === "|" || x === "&&" || x === ";" || x === "||")) return null;
  const program = programName(w[0]);
  const args = w.slice(1);
  // kubectl and oc take global options before the subcommand (`kubectl -n ops exec …`).
  const sub = program === "kubectl" || program === "oc" ? withoutOptions(args, KUBE_VALUE_OPTIONS)[0] : args[0];
  if ((program === "kubectl" || program === "oc") && sub === "exec") {
    // Without `--` (an older form, still everywhere in docs): `kubectl exec -it pod bash`.
    const command = afterDashes(args) ?? withoutOptions(args, [...KUBE_VALUE_OPTIONS, "-c", "--container"]).slice(2);
    return wantsTerminal(args) && (isShell(command) || isInteractiveClient(command)) ? "a session in the container" : null;
  }
  if (program === "oc" && sub === "rsh") {
    const rest = withoutOptions(args, [...KUBE_VALUE_OPTIONS, "-c", "--container", "--shell"]).slice(1);
    return rest.length <= 1 || isShell(rest.slice(1)) ? "a shell in the pod" : null;
  }
  if ((program === "oc" || program === "kubectl") && sub === "debug") {
    const command = afterDashes(args);
    // `oc debug node/x -- chroot /host`: the command it runs is itself a shell.
    return command === null || isShell(command) || (command.length > 0 && sessionOpenedBy(command.join(" ")) !== null) ? "a shell in a debug pod" : null;
  }
  if ((program === "docker" || program === "podman" || program === "nerdctl" || program === "crictl") && args[0] === "exec") {
    const rest = args.slice(1);
    const command = rest.filter((a) => !a.startsWith("-")).slice(1);
    return wantsTerminal(rest) && (isShell(command) || isInteractiveClient(command)) ? "a session in the container" : null;
  }
  if ((program === "kubectl" || program === "oc") && sub === "run") {
    const command = afterDashes(args);
    return wantsTerminal(args) && (command === null || isShell(command) || isInteractiveClient(command)) ? "a session in a new pod" : null;
  }
  if ((program === "docker" || program === "podman" || program === "nerdctl") && args[0] === "run") {
    const rest = withoutOptions(args.slice(1), ["-v", "--volume", "-e", "--env", "-p", "--publish", "--name", "--network", "--entrypoint", "-w", "--workdir", "-u", "--user", "--mount"]);
    return wantsTerminal(args) && (rest.length <= 1 || isShell(rest.slice(1)) || isInteractiveClient(rest.slice(1))) ? "a session in a new container" : null;
  }
  if (program === "gcloud" && args[0] === "compute" && args[1] === "ssh") return args.some((a) => a.startsWith("--command")) ? null : "a login on another host";
  if (program === "aws" && args[0] === "ssm" && args[1] === "start-session") return args.includes("--document-name") ? null : "a session on the instance";
  if ((program === "docker-machine" || program === "vagrant" || program === "minikube") && args[0] === "ssh") return args.filter((a) => !a.startsWith("-")).length <= 2 ? "a login on another host" : null;
  if (program === "az" && args[0] === "ssh") return "a login on another host";
  // `docker compose exec web bash`: compose gives exec a terminal unless told not to (`-T`).
  const compose = program === "docker-compose" ? args : (program === "docker" || program === "podman") && args[0] === "compose" ? args.slice(1) : null;
  if (compose && compose[0] === "exec" && !compose.includes("-T") && !compose.includes("--no-TTY")) {
    const command = withoutOptions(compose.slice(1), ["-e", "--env", "-u", "--user", "-w", "--workdir", "--index"]).slice(1);
    return isShell(command) || isInteractiveClient(command) ? "a session in the container" : null;
  }
  if ((program === "kubectl" || program === "oc") && sub === "attach") return wantsTerminal(args) ? "a session attached to the container" : null;
  if (WRAPPERS.has(program)) {
    const target = withoutOptions(args, ["-C", "-f", "--file", "--directory", "-I", "-o", "-W", "-d", "--dir"]).find((a) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
    return target && isSessionTarget(target) ? `a session the ${program} target \`${target}\` opens` : null;
  }
  // `gitlab-rails console`, `rails c`, `bundle exec rails console`: an interactive console.
  const rails = program === "bundle" && args[0] === "exec" ? args.slice(1) : w;
  if (/^(?:rails|gitlab-rails)$/.test(programName(rails[0])) && /^(?:c|console|db|dbconsole)$/.test(rails[1] ?? "")) return "an interactive console";
  if (program === "tmux") {
    // `tmux`, `tmux attach -t ops`, `tmux new -s ops`; not `tmux new -d`, `tmux ls`, `tmux kill-session`.
    const command = args.find((a) => !a.startsWith("-"));
    return (!command || /^(?:a|at|attach|attach-session|new|new-session)$/.test(command)) && !args.includes("-d") ? "a terminal multiplexer session" : null;
  }
  if (program === "screen") return args.some((a) => /^-(?:d|ls|list|X|Q)/.test(a)) ? null : "a terminal multiplexer session";
  if (program === "ssh") {
    if (args.includes("-N")) return "a tunnel that runs until it is stopped";
    if (sshIsLogin(args)) return "a login on another host";
    // `ssh -t bastion sudo -i`: the remote command is itself a session.
    const remote = sshRemoteCommand(args);
    return args.some((a) => /^-[A-Za-z]*t/.test(a)) && remote.length > 0 && sessionOpenedBy(remote.join(" ")) !== null ? "a session on another host" : null;
  }
  if (program === "nsenter") {
    const command = withoutOptions(args, ["-t", "--target", "-S", "--setuid", "-G", "--setgid", "-w", "--wd", "-r", "--root"]);
    return command.length === 0 || isShell(command) ? "a shell in another process's namespaces" : null;
  }
  if (program === "chroot") return args.filter((a) => !a.startsWith("-")).length === 1 ? "a shell under the new root" : null;
  if (program === "sudo") return "a root shell";
  if (program === "su") return args.includes("-c") || args.includes("--command") ? null : "a shell as another user";
  if (program === "toolbox" && args.length === 0) return "a shell in the toolbox container";
  if (isInteractiveClient(w)) return "an interactive client";
  if (isShell(w) && args.length === 0) return "a new shell";
  return null;
}

/**
 * Whether the command itself runs its work elsewhere and ends: `kubectl exec pod -- df -h`,
 * `oc debug node/x -- chroot /host journalctl`, `ssh host 'uptime'`. Text before it that says
 * "exec into the pod" describes what the command does, not where to run it.
 */
export function runsElsewhereItself(source: string): boolean {
  const w = stripPrefixes(words(source));
  const program = programName(w[0]);
  const args = w.slice(1);
  if (program === "kubectl" || program === "oc") {
    const sub = withoutOptions(args, KUBE_VALUE_OPTIONS)[0];
    return (sub === "exec" || sub === "debug" || sub === "rsh" || sub === "run") && (afterDashes(args)?.length ?? 0) > 0;
  }
  if (program === "ssh") return !args.includes("-N") && sshRemoteCommand(args).length > 0;
  if ((program === "docker" || program === "podman" || program === "crictl") && args[0] === "exec") return true;
  if (program === "gcloud" && args[0] === "compute" && args[1] === "ssh") return args.some((a) => a.startsWith("--command"));
  return false;
}
const EDITORS = new Set(["vi", "vim", "nvim", "nano", "emacs", "pico", "joe", "mcedit", "vipw", "vigr", "visudo", "sudoedit"]);

/** `kubectl edit deploy/x`, `systemctl edit kubelet`, `crontab -e`, `vim /etc/hosts`: an editor waits for someone to save. */
export function opensEditor(source: string): boolean {
  const w = stripPrefixes(words(source));
  const program = programName(w[0]);
  const args = w.slice(1);
  if (EDITORS.has(program)) return true;
  if (program === "kubectl" || program === "oc") return withoutOptions(args, KUBE_VALUE_OPTIONS)[0] === "edit";
  if (program === "systemctl") return args.find((a) => !a.startsWith("-")) === "edit";
  if (program === "crontab") return args.includes("-e");
  return false;
}

/** The program a command runs, past `sudo` (and its options), `env`, `time` and `NAME=value` words. */
export function programOf(source: string): string {
  return programName(stripPrefixes(words(source))[0]);
}
