// Step execution and health polling against a reference environment in this process, on a fresh
// embedded database (SITREP_TEST_DRIVER=postgres for PostgreSQL).
// Numbers: wall time of seed 000's worker-timeout step (3 control-API calls, capture, output and
// audit stored) from start to final state, p50/p95 over 20 runs; the same for the readiness step
// through a real host agent (2 scripts), 5 runs; one health poll of the 11 surfaces.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb, makeUser } from "@/lib/testing";
import { parseRunbook } from "@/lib/runbooks/parse";
import { pollEnvironmentHealth, registerReference } from "@/lib/environments";
import { executionDone, startStepExecution } from "@/lib/executions";
import { startReferenceStack } from "@/refenv/stack";
import { referenceRegistration } from "@/refenv";

const SECRET = "bench-secret-0123456789abcdef";
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-bench-env-"));
const database = await createTestDb();
const stack = await startReferenceStack({ basePort: 0, stateDir: path.join(dir, "refenv"), agent: { secret: SECRET } });
try {
  const environmentId = await registerReference(
    database.db,
    referenceRegistration(stack.refenv, { faultToken: stack.refenv.adminToken, agent: { url: stack.agent.url, agentId: stack.agent.agentId, secretFile: "unused" } }),
    SECRET,
  );
  const { actor } = await makeUser(database.db, { role: "responder" });
  const seedDir = path.resolve(process.cwd(), "../shared/seeds");
  const steps = parseRunbook(fs.readFileSync(path.join(seedDir, fs.readdirSync(seedDir).find((f) => f.startsWith("000_"))!), "utf8")).steps;
  const time = async (stepPrefix: string, runs: number) => {
    const step = steps.find((s) => s.id.startsWith(stepPrefix))!;
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const row = await startStepExecution({ actor, db: database.db }, { runbookId: null, runbookSlug: "bench", revisionId: null, step, environmentId, inputs: {} });
      await executionDone(row.id);
      ms.push(performance.now() - t);
    }
    return ms;
  };
  const http = await time("2-worker-timeout", 20);
  console.log(`HTTP step (3 control-API calls): p50 ${pct(http, 50).toFixed(1)} ms, p95 ${pct(http, 95).toFixed(1)} ms over ${http.length} runs`);
  const shell = await time("1-readiness", 5);
  console.log(`Shell step via host agent (2 scripts): p50 ${pct(shell, 50).toFixed(1)} ms, p95 ${pct(shell, 95).toFixed(1)} ms over ${shell.length} runs`);
  const t = performance.now();
  const poll = await pollEnvironmentHealth(database.db, environmentId);
  console.log(`Health poll of ${poll.checked} surfaces: ${(performance.now() - t).toFixed(1)} ms`);
} finally {
  await stack.stop();
  await database.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
}
