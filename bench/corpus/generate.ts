// A synthetic runbook repository for the import benchmark, written here in our own words: the
// styles of public runbook collections (alert runbooks with YAML front matter and Meaning /
// Impact / Diagnosis / Mitigation, commands inline in prose, console / yaml / promql / sql fences),
// operator runbooks like the seeds (header lines, numbered sections, curl to the control API,
// placeholders, tables), long handbooks with nested lists, and short stubs. Deterministic per seed.

export type CorpusFile = { name: string; text: string };

class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state * 1103515245 + 12345) & 0x7fffffff;
    return this.state / 0x7fffffff;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

const SYSTEMS = ["ledger", "checkout", "search", "ingest", "billing", "gateway", "scheduler", "notifier", "catalog", "identity", "storage", "metrics", "queue", "mailer", "renderer"] as const;
const PROBLEMS = ["LatencyHigh", "ErrorBudgetBurn", "PodCrashLooping", "ReplicasMismatch", "DiskFillingUp", "CertificateExpiring", "QueueBacklog", "ConnectionsSaturated", "MemoryPressure", "TargetDown", "JobFailed", "LeaderElectionFlapping"] as const;
const TEAMS = ["platform", "payments", "data", "edge", "identity", "sre"] as const;
const CATEGORIES = ["kubernetes", "databases", "networking", "storage", "observability", "applications"] as const;
const VERBS = ["Check", "Inspect", "Compare", "Look at", "Confirm", "Read", "List"] as const;
const SENTENCES = [
  "The symptom usually shows up first on the dashboards of the calling service, not on the failing one.",
  "Keep a note of every command you run and its time, so the review can rebuild the order of events.",
  "If the numbers disagree with the dashboard, trust the raw query and say so in the incident channel.",
  "A restart hides the evidence; capture logs and events before you restart anything.",
  "Most of the time the cause is a recent deploy; look at the rollout history before anything else.",
  "Do not scale down below the minimum the capacity plan names, even when traffic looks quiet.",
  "Escalate to the owning team when the mitigation has not helped within fifteen minutes.",
  "The alert is tuned to fire before users notice; there is usually some time, but not much.",
] as const;

function alertName(r: Random, system: string): string {
  return `${system[0].toUpperCase()}${system.slice(1)}${r.pick(PROBLEMS)}`;
}

function prose(r: Random, n: number): string {
  return Array.from({ length: n }, () => r.pick(SENTENCES)).join(" ");
}

function inlineCommands(r: Random, system: string): string[] {
  return [
    `- ${r.pick(VERBS)} the pods via \`kubectl -n $NAMESPACE get pods -l app=${system} -o wide\`.`,
    `- ${r.pick(VERBS)} recent events with \`kubectl -n {{ $labels.namespace }} describe pod {{ $labels.pod }}\` and note restarts.`,
    `- Read the logs of the previous container: \`kubectl -n $NAMESPACE logs $POD --previous --tail=200\`.`,
    `- Confirm the node is \`Ready\` and has no \`DiskPressure\` condition.`,
    `- Compare with the other replicas using \`kubectl top pods -n <namespace> --sort-by=memory\`.`,
    `- Run \`./scripts/${system}-health.sh --verbose\` from the operations checkout.`,
  ];
}

function alertRunbook(r: Random, i: number): CorpusFile {
  const system = r.pick(SYSTEMS);
  const alert = alertName(r, system);
  const severity = r.pick(["critical", "warning", "info"]);
  const long = r.int(6) === 0;
  const lines = [
    "---",
    `title: ${alert}`,
    `alerts: [${alert}]`,
    `severity: ${severity}`,
    `owner: team-${r.pick(TEAMS)}`,
    `weight: ${r.int(100)}`,
    `tags: [${r.pick(CATEGORIES)}, ${system}]`,
    `aliases: [/runbooks/${system}/${alert.toLowerCase()}/]`,
    "---",
    "",
    `# ${alert}`,
    "",
    "## Meaning",
    "",
    `This alert fires when ${system} has shown the problem for more than ${5 + r.int(25)} minutes. ${prose(r, 2)}`,
    "",
    "<details>",
    "<summary>Full context</summary>",
    "",
    "```yaml",
    `alert: ${alert}`,
    `expr: sum(rate(http_requests_total{job="${system}",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="${system}"}[5m])) > 0.0${1 + r.int(8)}`,
    `for: ${5 + r.int(10)}m`,
    "labels:",
    `  severity: ${severity}`,
    "```",
    "",
    "</details>",
    "",
    "## Impact",
    "",
    `${prose(r, 1 + r.int(3))}`,
    "",
    "## Diagnosis",
    "",
    ...inlineCommands(r, system).filter(() => r.int(3) > 0),
    "",
    "```promql",
    `histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket{job="${system}"}[5m])))`,
    "```",
    "",
    "```console",
    `$ kubectl -n $NAMESPACE get deploy ${system} -o jsonpath='{.status.readyReplicas}'`,
    "3",
    `$ kubectl -n $NAMESPACE rollout history deploy/${system}`,
    "```",
    "",
    "## Mitigation",
    "",
    `1. Roll back if a deploy started it: \`kubectl -n $NAMESPACE rollout undo deploy/${system}\`.`,
    `2. Scale out while you look: \`kubectl -n $NAMESPACE scale deploy/${system} --replicas=<replicas>\`.`,
    `3. ${prose(r, 1)}`,
    "",
    "```shell",
    `kubectl -n $NAMESPACE delete pod $POD`,
    `curl -fsS http://127.0.0.1:8080/healthz`,
    "```",
    "",
    "## Verification",
    "",
    "- [ ] the alert resolved on its own",
    "- [ ] error rate back under the objective",
    "",
    "## Escalation",
    "",
    `Page team-${r.pick(TEAMS)} and see [the ${system} overview](${system}-overview.md).`,
    "",
  ];
  if (long) for (let k = 0; k < 6 + r.int(10); k += 1) lines.push(`### Further check ${k + 1}`, "", prose(r, 4), "", ...inlineCommands(r, system).slice(0, 3), "");
  return { name: `alerts/${system}/${alert}${i}.md`, text: lines.join("\n") };
}

function operatorRunbook(r: Random, i: number): CorpusFile {
  const system = r.pick(SYSTEMS);
  const sections = 3 + r.int(8);
  const lines = [
    `# ${system[0].toUpperCase()}${system.slice(1)} operator runbook ${i}`,
    "",
    `**Scenario:** ${prose(r, 1)}`,
    `**Severity:** SEV${1 + r.int(3)}`,
    `**Owner:** ${r.pick(TEAMS)}`,
    `**Last Updated:** 2026-0${1 + r.int(9)}-1${r.int(9)}`,
    "",
  ];
  for (let s = 1; s <= sections; s += 1) {
    lines.push(`## ${s}) ${r.pick(VERBS)} ${system} stage ${s}`, "", prose(r, 2), "");
    const kind = r.int(4);
    if (kind === 0) {
      lines.push("```bash", `RUN_ID=$(curl -fsS -X POST http://127.0.0.1:8000/api/runs \\`, "  -H 'Content-Type: application/json' \\", `  -d '{"title":"${system} ${s}","prompt":"check","route":"/codex"}' \\`, `  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')`, "", "# 2nd should return queue_reason WAITING_FOR_SLOT", "curl -fsS -X POST http://127.0.0.1:8000/api/slots/acquire -H 'Content-Type: application/json' -d '{\"run_id\":\"<run_id>\"}'", "```", "");
    } else if (kind === 1) {
      lines.push("| Surface | Port | Health check |", "|---|---:|---|", ...Array.from({ length: 3 + r.int(6) }, (_, k) => `| ${system}-${k} | ${3100 + k} | \`curl -fsS http://127.0.0.1:${3100 + k}/health\` |`), "");
    } else if (kind === 2) {
      lines.push("```bash", "# Expected failure (no such release)", `./scripts/rollback.sh missing-${system}`, `./scripts/rollback.sh <release_id>`, "```", "");
    } else {
      lines.push("1. Look at the slots:", "   - `curl -fsS http://127.0.0.1:8000/api/slots | python3 -m json.tool`", "2. Read the worker log:", `   - \`tail -n 100 /var/log/${system}/worker.log\``, "3. Decide whether to escalate.", "");
    }
  }
  return { name: `operators/${system}-${i}.md`, text: lines.join("\n") };
}

function handbook(r: Random, i: number, targetBytes: number): CorpusFile {
  const system = r.pick(SYSTEMS);
  const lines = [`# ${system} handbook, part ${i}`, "", prose(r, 3), ""];
  let size = 0;
  let n = 0;
  while (size < targetBytes) {
    n += 1;
    const block = [
      `## ${r.pick(VERBS)} ${system} area ${n}`,
      "",
      prose(r, 3),
      "",
      "- Preparation",
      "  - read the last review",
      `  - open the ${system} dashboard`,
      "    1. pick the right region",
      "    2. set the range to six hours",
      `- Run \`psql -h db-${n} -c 'select count(*) from jobs where state = 1'\` on the replica`,
      "",
      "```sql",
      `SELECT state, count(*) FROM ${system}_jobs GROUP BY state ORDER BY 2 DESC LIMIT ${5 + r.int(20)};`,
      "```",
      "",
      "```json",
      `{"service": "${system}", "replicas": ${1 + r.int(9)}, "zone": "z${r.int(4)}"}`,
      "```",
      "",
      "| Check | Owner | When |",
      "|---|---|---|",
      `| queue depth | ${r.pick(TEAMS)} | hourly |`,
      `| error rate | ${r.pick(TEAMS)} | daily |`,
      "",
      "```",
      `systemctl status ${system}.service`,
      `journalctl -u ${system}.service --since "1 hour ago"`,
      "```",
      "",
    ].join("\n");
    lines.push(block);
    size += block.length;
  }
  return { name: `handbooks/${system}-handbook-${i}.md`, text: lines.join("\n") };
}

function stub(r: Random, i: number): CorpusFile {
  const system = r.pick(SYSTEMS);
  return { name: `stubs/${system}-${i}.md`, text: `# ${system} note ${i}\n\n${prose(r, 1)}\n\nSee [the index](../index.md) and [pending](${system}-pending-${i % 7}.md).\n` };
}

/** At least `files` runbooks of about `bytes` in total, in mixed styles. */
export function generateCorpus(options: { files?: number; bytes?: number; seed?: number } = {}): CorpusFile[] {
  const files = options.files ?? 840;
  const bytes = options.bytes ?? 3.2 * 1024 * 1024;
  const r = new Random(options.seed ?? 20261129);
  const out: CorpusFile[] = [];
  let total = 0;
  for (let i = 0; i < files || total < bytes; i += 1) {
    const kind = r.int(10);
    const file = kind < 5 ? alertRunbook(r, i) : kind < 8 ? operatorRunbook(r, i) : kind < 9 ? handbook(r, i, 4_000 + r.int(16_000)) : stub(r, i);
    out.push(file);
    total += Buffer.byteLength(file.text);
  }
  return out;
}

/** One runbook of about `bytes` (the 20 KB typical runbook, the 1 MB extreme). */
export function runbookOfSize(bytes: number, seed = 7): string {
  const r = new Random(seed);
  const parts: string[] = [`# A runbook of ${Math.round(bytes / 1024)} KB`, "", "**Owner:** bench", ""];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    i += 1;
    const piece = (i % 3 === 0 ? operatorRunbook(r, i) : i % 3 === 1 ? alertRunbook(r, i) : handbook(r, i, 3_000)).text
      .replace(/^---[\s\S]*?---\n/, "")
      .replace(/^# .*$/m, `## Part ${i}`)
      .replace(/^(#{2,5}) /gm, "$1# ");
    parts.push(piece);
    size += piece.length;
  }
  return parts.join("\n\n");
}
