import { stripPrefixes } from "./sessions";

// Commands that run until someone stops them: they follow a log (`journalctl -f`, `kubectl logs
// -f`), redraw a screen (`watch`, `top`), or sample without a count (`ping host`, `vmstat 1`). In
// a terminal the author presses Ctrl-C; a step would wait for them until its time runs out and
// then report a failure that says nothing about the system. `timeout 30 …` in front ends it.

/** The words of each pipeline segment, quoted text kept whole enough to tell options apart. */
function segments(source: string): string[][] {
  const unquoted = source.replace(/\\\r?\n/g, " ").replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");
  return unquoted.split(/\|\|?|&&|;|\n/).map((s) => s.trim().split(/\s+/).filter(Boolean));
}

/** A short option cluster holding `letter` (`-f`, `-fu`, `-xef`), or one of the long forms. */
function hasOption(args: string[], letter: string, long: string[] = []): boolean {
  return args.some((a) => (/^-[A-Za-z0-9]+$/.test(a) && a.slice(1).includes(letter)) || long.some((l) => a === l || a.startsWith(`${l}=`) && !a.endsWith("=false")));
}

const SCREENS = new Set(["watch", "htop", "atop", "btop", "iotop", "iftop", "nload", "nethogs", "k9s"]);
const KUBE_SUBCOMMANDS = new Set(["logs", "get", "events", "port-forward", "proxy"]);
const SAMPLERS = new Set(["vmstat", "iostat", "mpstat", "pidstat", "sar"]);

/** Every option, program or subcommand the checks below look for: most commands have none of them. */
const CANDIDATE = /\s-[A-Za-z0-9]*[fFw]|--follow|--watch|\b(?:port-forward|proxy|stats|watch|[hab]?top|btop|iotop|iftop|nload|nethogs|k9s|ping6?|tcpdump|vmstat|iostat|mpstat|pidstat|sar)\b/;

/** What keeps the command running, or null when it ends on its own. */
export function runsUntilStopped(source: string): string | null {
  if (!CANDIDATE.test(source)) return null;
  for (const segment of segments(source)) {
    const words = stripPrefixes(segment);
    const program = (words[0] ?? "").replace(/^.*\//, "");
    const args = words.slice(1);
    if (program === "timeout") return null;
    if (SCREENS.has(program)) return `\`${program}\` redraws the screen until it is stopped`;
    if (program === "top" && !hasOption(args, "n")) return "`top` redraws the screen until it is stopped (`top -b -n 1` prints once)";
    if ((program === "tail" && hasOption(args, "f", ["--follow"])) || (program === "tail" && hasOption(args, "F"))) return "`tail -f` follows the file until it is stopped";
    if (program === "journalctl" && hasOption(args, "f", ["--follow"])) return "`journalctl -f` follows the journal until it is stopped";
    // The subcommand, past global options and their values (`kubectl -n ops logs -f web`).
    const sub = program === "kubectl" || program === "oc" ? args.find((a) => KUBE_SUBCOMMANDS.has(a)) : args.find((a) => !a.startsWith("-"));
    // kubectl joins short options to their values (`-owide`, `-cfluentd`): only `-f` and `-w` themselves.
    if ((program === "kubectl" || program === "oc") && sub === "logs" && args.some((a) => a === "-f" || a === "--follow" || a === "--follow=true")) return `\`${program} logs -f\` follows the log until it is stopped`;
    if ((program === "kubectl" || program === "oc") && (sub === "get" || sub === "events") && args.some((a) => a === "-w" || a === "--watch" || a === "--watch-only" || a === "--watch=true")) return `\`${program} ${sub} --watch\` watches until it is stopped`;
    if ((program === "kubectl" || program === "oc") && (sub === "port-forward" || sub === "proxy")) return `\`${program} ${sub}\` serves until it is stopped`;
    if ((program === "docker" || program === "podman") && sub === "logs" && hasOption(args, "f", ["--follow"])) return `\`${program} logs -f\` follows the log until it is stopped`;
    if ((program === "docker" || program === "podman") && sub === "stats" && !args.includes("--no-stream")) return `\`${program} stats\` streams until it is stopped (\`--no-stream\` prints once)`;
    if ((program === "ping" || program === "ping6") && !hasOption(args, "c", ["--count"]) && !hasOption(args, "w", ["--deadline"])) return `\`${program}\` without a count (\`-c 3\`) pings until it is stopped`;
    if (program === "tcpdump" && !hasOption(args, "c") && !hasOption(args, "r")) return "`tcpdump` without a count (`-c 100`) captures until it is stopped";
    if (SAMPLERS.has(program)) {
      const numbers = args.filter((a) => /^\d+$/.test(a));
      if (numbers.length === 1) return `\`${program} ${numbers[0]}\` samples until it is stopped (a count after the interval ends it)`;
    }
  }
  return null;
}
