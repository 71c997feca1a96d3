// Builds a large runbook out of seed-like sections (written here, not copied) and times
// parseRunbook over it. Run directly: `npx tsx lib/runbooks/parse/bench.ts [bytes] [runs]`.
import { pathToFileURL } from "node:url";
import { parseRunbook } from "./parse";
import { derive } from "./derive";
import { clearParseCache, parseMarkdown } from "./tree";

function section(n: number): string {
  const port = 3100 + (n % 7);
  return `## ${n}) Drill section ${n}

Use this when the queue for shard ${n} stops draining. Check the control plane first, then the
runtime, and only then touch hosts. Keep notes of every **manual** action with a timestamp.

\`\`\`bash
# Create a run for shard ${n}; the id feeds the calls below.
RUN_ID=$(curl -fsS -X POST http://127.0.0.1:8000/api/runs \\
  -H 'Content-Type: application/json' \\
  -d '{"title":"drill ${n}","prompt":"shard ${n}","route":"/codex"}' \\
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# 4th should return queue_reason WAITING_FOR_SLOT
curl -fsS -X POST http://127.0.0.1:8000/api/slots/acquire \\
  -H 'Content-Type: application/json' \\
  -d '{"run_id":"<run_id>"}'

# Expected failure (unknown release)
DEPLOY_ROOT=/tmp/drill-${n} ./scripts/rollback.sh no-such-release-${n}
./scripts/rollback.sh <release_id>
curl -s http://127.0.0.1:8080/v1/jobs?limit=${n % 50}
\`\`\`

### Troubleshooting shard ${n}
1. Look at who holds the slots:
   - \`curl -fsS http://127.0.0.1:8000/api/slots | python3 -m json.tool\`
2. Read the tail of the worker log:
   - \`tail -n 100 /var/log/drill/worker-${n}.log\`
3. Confirm the dashboards agree with \`oris_runtime_queue_depth\` before escalating.

| Surface | Unit / Command | Port | Env file | Health check |
|---|---|---:|---|---|
| Web ${n} | \`web-${n}.service\` | \`${port}\` | \`/etc/drill/web-${n}.env\` | \`curl -fsS http://127.0.0.1:${port}/health\` |
| Worker ${n} | \`worker-${n}.service\` | \`8090\` | \`/etc/drill/worker.env\` | \`curl -fsS http://127.0.0.1:8090/health\` |

Before closing section ${n}:

- [ ] Queue depth is falling for shard ${n}
- [x] Slots released, see [slot runbook](slot-recovery-${n % 10}.md)
- [ ] Timeline updated with what was done and when

`;
}

export function buildBenchRunbook(targetBytes = 1024 * 1024): string {
  let text = "# Bench runbook\n\n**Scenario:** Synthetic load for the parser\n**Severity:** SEV2\n**Owner:** Platform\n\n";
  let n = 1;
  while (text.length < targetBytes) {
    text += section(n);
    n += 1;
  }
  return text;
}

export type BenchResult = {
  bytes: number;
  runs: number;
  /** Wall-clock time per run. */
  parseMs: number[];
  /** CPU time per run (user + system): less distorted than wall time on a shared, busy machine. */
  cpuMs: number[];
  markdownMs: number;
  deriveMs: number;
  /** Parsing again after one line was added near the top (pieces already seen come from the cache). */
  editedMs: number;
  steps: number;
  medianMs: number;
  medianCpuMs: number;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Times parseRunbook over a ~1 MB runbook; prints and returns the numbers. Goal: under 200 ms. */
export function benchParseRunbook(options: { bytes?: number; runs?: number; log?: (line: string) => void } = {}): BenchResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const text = buildBenchRunbook(options.bytes);
  const bytes = Buffer.byteLength(text);
  const runs = options.runs ?? 3;
  parseRunbook(text.slice(0, 20_000));
  const parseMs: number[] = [];
  const cpuMs: number[] = [];
  let steps = 0;
  for (let i = 0; i < runs; i += 1) {
    clearParseCache();
    const cpu = process.cpuUsage();
    const started = performance.now();
    steps = parseRunbook(text, { fileName: "bench.md" }).steps.length;
    parseMs.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  }
  const lines = text.split("\n");
  lines.splice(12, 0, "One more sentence added by an edit.");
  const e0 = performance.now();
  parseRunbook(lines.join("\n"), { fileName: "bench.md" });
  const editedMs = performance.now() - e0;
  clearParseCache();
  const t0 = performance.now();
  const tree = parseMarkdown(text);
  const t1 = performance.now();
  derive(tree);
  const t2 = performance.now();
  const result: BenchResult = {
    bytes,
    runs,
    parseMs,
    cpuMs,
    markdownMs: t1 - t0,
    deriveMs: t2 - t1,
    editedMs,
    steps,
    medianMs: median(parseMs),
    medianCpuMs: median(cpuMs),
  };
  log(
    `parseRunbook ${(bytes / 1024).toFixed(0)} KiB, ${steps} steps: median ${result.medianMs.toFixed(0)} ms wall, ${result.medianCpuMs.toFixed(0)} ms CPU over ${runs} runs ` +
      `(cold runs: ${parseMs.map((m) => m.toFixed(0)).join(", ")} ms; markdown parse ${result.markdownMs.toFixed(0)} ms, structure ${result.deriveMs.toFixed(0)} ms; ` +
      `after a one-line edit ${editedMs.toFixed(0)} ms; goal < 200 ms)`,
  );
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bytes = process.argv[2] ? Number(process.argv[2]) : undefined;
  const runs = process.argv[3] ? Number(process.argv[3]) : undefined;
  benchParseRunbook({ bytes, runs });
}
